/// The load generator for the send path: C keep-alive connections post text
/// messages to N recipients, measure accepted msg/s and latency, and (with
/// --sim) check against the upstream simulator's record that every 201 was
/// delivered exactly once and in per-recipient order.
///
///   loadgen --url http://127.0.0.1:9090 [--user admin --password secret
///           --new-password P] [--token T] [--no-auth] --messages N
///           --recipients M --connections C [--rate R] [--duration S]
///           [--sim http://127.0.0.1:9190] [--wait-delivered S] [--json]
///           [--cacert FILE] [--ids-out FILE]
///
/// An https:// URL (the front of deploy/up) is verified against --cacert
/// and sent through httplib::Client (the lean client speaks plain HTTP).
/// Recipient i is "1555" + i in 7 digits and is owned by connection i % C;
/// message k goes to recipient k % M. A connection sends one request at a
/// time, so the order of 201s per recipient is the order the API accepted
/// them in, and that is the order the upstream must see.
///
/// --ids-out FILE writes the id of every accepted message, one a line (the
/// webhook check of run-bench expects their statuses).
///
/// Exit code 0 only if some message was accepted, none failed or was still
/// being retried at the --duration cut and, with --sim, none was lost, none
/// appears twice in the log and no recipient's order differs.
///
/// Retried (counted as "retried"): 503, 429 and network errors, with backoff
/// from 20 ms doubling to 500 ms, at most 50 tries per message. Latency is
/// from a message's first try to its 201; with --rate also from its
/// scheduled send time (which includes queueing behind slow replies).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <cctype>
#include <cerrno>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace {

using clock_type = std::chrono::steady_clock;
using time_point = clock_type::time_point;

/// Milliseconds between two time points, as a double.
double ms_between(time_point from, time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// -- options ------------------------------------------------------------------

struct options {
  std::string url = "http://127.0.0.1:9090";
  std::string user = "admin";
  std::string password = "secret";
  std::string new_password;
  std::string token;
  bool no_auth = false;
  uint64_t messages = 10000;
  uint64_t recipients = 1000;
  int connections = 64;
  double rate = 0; // msg/s over all connections, 0 = as fast as possible
  double duration_s = 600; // hard stop for the send phase
  std::string sim;
  double wait_delivered_s = 60;
  bool json = false;
  int max_tries = 50;
  /// Send with httplib::Client instead of the lean client (see raw_sender).
  bool httplib_client = false;
  /// "text" or "template": the template "bench_order" of namespace
  /// "bench" (language en, 2 body parameters), which the simulator must
  /// have registered (run-bench does).
  std::string payload = "text";
  /// The CA that signed an https:// --url's certificate (deploy/up's
  /// var/tls/ca.crt); https goes through httplib::Client.
  std::string cacert;
  /// Where to write the accepted ids ("" = nowhere).
  std::string ids_out;
};

/// Makes `cli` verify an https server against `cacert` (no-op for http).
void trust_ca(httplib::Client& cli, const std::string& cacert) {
  if (cacert.empty())
    return;
  cli.set_ca_cert_path(cacert);
  cli.enable_server_certificate_verification(true);
}

void usage() {
  std::fprintf(
    stderr,
    "usage: loadgen --url URL [--user U --password P --new-password P2]\n"
    "               [--token T] [--no-auth] --messages N --recipients M\n"
    "               --connections C [--rate R] [--duration S] [--sim URL]\n"
    "               [--wait-delivered S] [--json] [--httplib-client]\n"
    "               [--payload text|template] [--cacert FILE]\n"
    "               [--ids-out FILE]\n");
}

bool parse_options(int argc, char** argv, options& opt) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc)
        return nullptr;
      return argv[++i];
    };
    auto need = [&](const char*& out) {
      out = next();
      if (!out)
        std::fprintf(stderr, "loadgen: %s needs a value\n", arg.c_str());
      return out != nullptr;
    };
    const char* v = nullptr;
    if (arg == "--no-auth") {
      opt.no_auth = true;
    } else if (arg == "--json") {
      opt.json = true;
    } else if (arg == "--httplib-client") {
      opt.httplib_client = true;
    } else if (arg == "--cacert") {
      if (!need(v))
        return false;
      opt.cacert = v;
    } else if (arg == "--ids-out") {
      if (!need(v))
        return false;
      opt.ids_out = v;
    } else if (arg == "--url") {
      if (!need(v))
        return false;
      opt.url = v;
    } else if (arg == "--user") {
      if (!need(v))
        return false;
      opt.user = v;
    } else if (arg == "--password") {
      if (!need(v))
        return false;
      opt.password = v;
    } else if (arg == "--new-password") {
      if (!need(v))
        return false;
      opt.new_password = v;
    } else if (arg == "--token") {
      if (!need(v))
        return false;
      opt.token = v;
    } else if (arg == "--messages") {
      if (!need(v))
        return false;
      opt.messages = std::strtoull(v, nullptr, 10);
    } else if (arg == "--recipients") {
      if (!need(v))
        return false;
      opt.recipients = std::strtoull(v, nullptr, 10);
    } else if (arg == "--connections") {
      if (!need(v))
        return false;
      opt.connections = std::atoi(v);
    } else if (arg == "--rate") {
      if (!need(v))
        return false;
      opt.rate = std::atof(v);
    } else if (arg == "--duration") {
      if (!need(v))
        return false;
      opt.duration_s = std::atof(v);
    } else if (arg == "--sim") {
      if (!need(v))
        return false;
      opt.sim = v;
    } else if (arg == "--payload") {
      if (!need(v))
        return false;
      opt.payload = v;
      if (opt.payload != "text" && opt.payload != "template") {
        std::fprintf(stderr, "loadgen: --payload is text or template\n");
        return false;
      }
    } else if (arg == "--wait-delivered") {
      if (!need(v))
        return false;
      opt.wait_delivered_s = std::atof(v);
    } else {
      std::fprintf(stderr, "loadgen: unknown argument %s\n", arg.c_str());
      return false;
    }
  }
  if (opt.recipients == 0 || opt.recipients > 10000000 || opt.connections <= 0
      || opt.connections > 4096 || opt.duration_s <= 0 || opt.rate < 0) {
    std::fprintf(stderr, "loadgen: need 1 <= recipients <= 10^7, "
                         "1 <= connections <= 4096, duration > 0, rate >= 0\n");
    return false;
  }
  return true;
}

/// "1555" followed by `index` in 7 digits.
std::string recipient_name(uint64_t index) {
  char buf[32]; // index < 10^7 by the option check, but the compiler can't know
  std::snprintf(buf, sizeof(buf), "1555%07" PRIu64, index);
  return buf;
}

// -- JSON helpers -------------------------------------------------------------

/// The first message id in a send response, or "" if there is none.
std::string message_id_of(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject())
    return {};
  auto msgs = doc.FindMember("messages");
  if (msgs == doc.MemberEnd() || !msgs->value.IsArray()
      || msgs->value.Empty() || !msgs->value[0].IsObject())
    return {};
  auto id = msgs->value[0].FindMember("id");
  if (id == msgs->value[0].MemberEnd() || !id->value.IsString())
    return {};
  return {id->value.GetString(), id->value.GetStringLength()};
}

/// The token of a login response, or "" if there is none.
std::string token_of(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject())
    return {};
  auto users = doc.FindMember("users");
  if (users == doc.MemberEnd() || !users->value.IsArray()
      || users->value.Empty() || !users->value[0].IsObject())
    return {};
  auto tok = users->value[0].FindMember("token");
  if (tok == users->value[0].MemberEnd() || !tok->value.IsString())
    return {};
  return {tok->value.GetString(), tok->value.GetStringLength()};
}

/// An integer field of a JSON object, or -1.
int64_t int_field(const std::string& body, const char* name) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject())
    return -1;
  auto it = doc.FindMember(name);
  if (it == doc.MemberEnd() || !it->value.IsNumber())
    return -1;
  return it->value.IsInt64() ? it->value.GetInt64()
                             : static_cast<int64_t>(it->value.GetDouble());
}

/// A JSON string literal for `s` (with quotes).
std::string json_quote(const std::string& s) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
  return buf.GetString();
}

// -- login --------------------------------------------------------------------

/// Logs in and returns a token, or "" after printing why it failed.
///
/// A fresh On-Prem account answers the first login with an error asking for
/// a new password; the same Basic credentials with {"new_password": ...}
/// then set it and return a token. If an earlier run already changed the
/// password, logging in with the new password works directly.
std::string login(const options& opt) {
  httplib::Client cli(opt.url);
  trust_ca(cli, opt.cacert);
  cli.set_connection_timeout(5, 0);
  cli.set_read_timeout(15, 0);
  auto attempt = [&](const std::string& password, const std::string& body,
                     std::string& why) -> std::string {
    httplib::Headers headers{
      httplib::make_basic_authentication_header(opt.user, password)};
    auto res = cli.Post("/v1/users/login", headers, body.empty() ? "{}" : body,
                        "application/json");
    if (!res) {
      why = "login: " + httplib::to_string(res.error());
      return {};
    }
    if (res->status == 200) {
      auto tok = token_of(res->body);
      if (!tok.empty())
        return tok;
    }
    why = "login: HTTP " + std::to_string(res->status) + " " + res->body;
    return {};
  };
  std::string why;
  auto tok = attempt(opt.password, "", why);
  if (!tok.empty() || opt.new_password.empty()) {
    if (tok.empty())
      std::fprintf(stderr, "loadgen: %s\n", why.c_str());
    return tok;
  }
  std::string change_body = "{\"new_password\":" + json_quote(opt.new_password)
                            + "}";
  tok = attempt(opt.password, change_body, why);
  if (!tok.empty())
    return tok;
  tok = attempt(opt.new_password, "", why);
  if (tok.empty())
    std::fprintf(stderr, "loadgen: %s\n", why.c_str());
  return tok;
}

// -- the send phase -----------------------------------------------------------

/// What one connection measured.
struct conn_stats {
  uint64_t sent = 0;      // messages attempted at least once
  uint64_t accepted = 0;  // messages answered 201 with an id
  uint64_t failed = 0;    // messages given up on
  uint64_t retried = 0;   // retries (503, 429, network errors)
  uint64_t abandoned = 0; // retries cut short by --duration
  uint64_t requests = 0;
  std::vector<float> latency_ms;       // first attempt to 201
  std::vector<float> sched_latency_ms; // scheduled send time to 201 (--rate)
  double max_gap_ms = 0;               // between two consecutive 201s
  double max_gap_end_s = 0;            // when that gap ended, since start
  time_point last_201{};
};

/// Shared state of the send phase.
struct run_state {
  const options& opt;
  std::string auth_header;
  time_point start;
  time_point deadline;
  /// ids_by_recipient[r]: ids in 201 order. Each entry is written only by
  /// the connection that owns recipient r, so no lock is needed.
  std::vector<std::vector<std::string>> ids_by_recipient;
  std::mutex print_mtx;
  int printed_failures = 0;
  std::atomic<uint64_t> accepted_total{0};

  explicit run_state(const options& o) : opt(o) {
  }

  void report_failure(const std::string& what) {
    std::lock_guard<std::mutex> guard{print_mtx};
    if (printed_failures++ < 5)
      std::fprintf(stderr, "loadgen: failed: %s\n", what.c_str());
  }
};

/// The outcome of one POST: status 0 means a network error.
struct post_result {
  int status = 0;
  std::string body;
  std::string error;
};

/// Posts JSON bodies to one path over one keep-alive connection.
class sender {
public:
  virtual ~sender() = default;
  virtual post_result post(const std::string& body) = 0;
};

/// The sender built on httplib::Client.
class httplib_sender : public sender {
public:
  httplib_sender(const std::string& url, const std::string& path,
                 const std::string& auth_header, const std::string& cacert)
    : cli_(url), path_(path) {
    trust_ca(cli_, cacert);
    cli_.set_keep_alive(true);
    cli_.set_tcp_nodelay(true);
    cli_.set_connection_timeout(2, 0);
    cli_.set_read_timeout(15, 0);
    cli_.set_write_timeout(5, 0);
    if (!auth_header.empty())
      headers_.emplace("Authorization", auth_header);
  }

  post_result post(const std::string& body) override {
    post_result out;
    auto res = cli_.Post(path_.c_str(), headers_, body, "application/json");
    if (!res) {
      out.error = httplib::to_string(res.error());
      return out;
    }
    out.status = res->status;
    out.body = std::move(res->body);
    return out;
  }

private:
  httplib::Client cli_;
  std::string path_;
  httplib::Headers headers_;
};

/// A minimal HTTP/1.1 keep-alive client for the send loop.
///
/// The load generator shares the 2 cores with the server it measures.
/// httplib::Client spends ~9 system calls per request (6 polls, the headers
/// and the body in two sends) and took about one core at 20k req/s, which
/// capped what any server could show. This one writes each request with one
/// send and reads the response with as few recvs as it needs. It handles
/// exactly what our servers answer: Content-Length bodies, keep-alive or
/// "Connection: close".
class raw_sender : public sender {
public:
  raw_sender(std::string host, int port, const std::string& path,
             const std::string& auth_header)
    : host_(std::move(host)), port_(port) {
    prefix_ = "POST " + path + " HTTP/1.1\r\nHost: " + host_ + ":"
              + std::to_string(port_) + "\r\n";
    if (!auth_header.empty())
      prefix_ += "Authorization: " + auth_header + "\r\n";
    prefix_ += "Content-Type: application/json\r\nContent-Length: ";
  }

  ~raw_sender() override {
    close_fd();
  }

  post_result post(const std::string& body) override {
    post_result out;
    // A connection idle for a while may have been closed by the server's
    // keep-alive timeout: reconnect instead of failing the next request.
    if (fd_ >= 0 && clock_type::now() - last_used_ > std::chrono::seconds(1)) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 0) != 0)
        close_fd();
    }
    if (fd_ < 0 && !connect_fd(out.error))
      return out;
    last_used_ = clock_type::now();
    request_ = prefix_;
    request_ += std::to_string(body.size());
    request_ += "\r\n\r\n";
    request_ += body;
    if (!send_all(request_, out.error) || !read_response(out)) {
      close_fd();
      out.status = 0;
      return out;
    }
    return out;
  }

private:
  void close_fd() {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = -1;
    buf_.clear();
  }

  bool connect_fd(std::string& error) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (::getaddrinfo(host_.c_str(), std::to_string(port_).c_str(), &hints,
                      &res)
        != 0) {
      error = "cannot resolve " + host_;
      return false;
    }
    for (auto* ai = res; ai != nullptr; ai = ai->ai_next) {
      int fd = ::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
      if (fd < 0)
        continue;
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      // Bounded waits: on Linux SO_SNDTIMEO also bounds connect().
      timeval send_timeout{2, 0};
      timeval recv_timeout{15, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout,
                   sizeof(send_timeout));
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &recv_timeout,
                   sizeof(recv_timeout));
      if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
        fd_ = fd;
        break;
      }
      error = std::string{"connect: "} + std::strerror(errno);
      ::close(fd);
    }
    ::freeaddrinfo(res);
    return fd_ >= 0;
  }

  bool send_all(const std::string& data, std::string& error) {
    size_t off = 0;
    while (off < data.size()) {
      auto n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        error = std::string{"send: "} + (n < 0 ? std::strerror(errno) : "closed");
        return false;
      }
      off += static_cast<size_t>(n);
    }
    return true;
  }

  /// Appends at least one byte to buf_; false on EOF, error or timeout.
  bool fill(std::string& error) {
    char chunk[16384];
    for (;;) {
      auto n = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        error = std::string{"recv: "}
                + (n < 0 ? std::strerror(errno) : "connection closed");
        return false;
      }
      buf_.append(chunk, static_cast<size_t>(n));
      return true;
    }
  }

  bool read_response(post_result& out) {
    size_t header_end;
    while ((header_end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (buf_.size() > 64 * 1024) {
        out.error = "response header too long";
        return false;
      }
      if (!fill(out.error))
        return false;
    }
    // Status line: HTTP/1.1 201 Created
    if (buf_.compare(0, 5, "HTTP/") != 0 || buf_.size() < 12) {
      out.error = "bad status line";
      return false;
    }
    out.status = std::atoi(buf_.c_str() + 9);
    size_t content_length = 0;
    bool have_length = false;
    bool close_after = false;
    size_t pos = buf_.find("\r\n") + 2;
    while (pos < header_end) {
      size_t eol = buf_.find("\r\n", pos);
      auto colon = buf_.find(':', pos);
      if (colon != std::string::npos && colon < eol) {
        std::string name = buf_.substr(pos, colon - pos);
        for (auto& ch : name)
          ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        size_t v = colon + 1;
        while (v < eol && buf_[v] == ' ')
          ++v;
        std::string value = buf_.substr(v, eol - v);
        if (name == "content-length") {
          content_length = std::strtoull(value.c_str(), nullptr, 10);
          have_length = true;
        } else if (name == "connection") {
          close_after = value.find("close") != std::string::npos
                        || value.find("Close") != std::string::npos;
        } else if (name == "transfer-encoding") {
          out.error = "chunked responses are not supported";
          return false;
        }
      }
      pos = eol + 2;
    }
    if (!have_length)
      close_after = true; // body runs to EOF: not produced by our servers
    size_t body_start = header_end + 4;
    while (buf_.size() < body_start + content_length)
      if (!fill(out.error))
        return false;
    out.body.assign(buf_, body_start, content_length);
    buf_.erase(0, body_start + content_length);
    if (close_after)
      close_fd();
    return true;
  }

  std::string host_;
  int port_;
  std::string prefix_;
  std::string request_;
  std::string buf_;
  int fd_ = -1;
  time_point last_used_{};
};

/// Splits "http://host:port" into host and port; false for anything else.
bool parse_http_url(const std::string& url, std::string& host, int& port) {
  const std::string scheme = "http://";
  if (url.compare(0, scheme.size(), scheme) != 0)
    return false;
  auto rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  if (slash != std::string::npos)
    rest.resize(slash);
  auto colon = rest.rfind(':');
  if (colon == std::string::npos) {
    host = rest;
    port = 80;
  } else {
    host = rest.substr(0, colon);
    port = std::atoi(rest.c_str() + colon + 1);
  }
  return !host.empty() && port > 0;
}

/// The sender the options ask for.
std::unique_ptr<sender> make_sender(const options& opt,
                                    const std::string& auth_header) {
  std::string host;
  int port = 0;
  if (!opt.httplib_client && parse_http_url(opt.url, host, port))
    return std::make_unique<raw_sender>(host, port, "/v1/messages",
                                        auth_header);
  return std::make_unique<httplib_sender>(opt.url, "/v1/messages", auth_header,
                                          opt.cacert);
}

/// Sends every message of connection `c`, one at a time.
void run_connection(run_state& st, int c, conn_stats& out) {
  const options& opt = st.opt;
  auto cli = make_sender(opt, st.auth_header);
  const uint64_t n = opt.messages;
  const uint64_t m = opt.recipients;
  const uint64_t conns = static_cast<uint64_t>(opt.connections);
  std::string body;
  bool have_201 = false;
  // Message k goes to recipient k % m, owned by connection (k % m) % conns.
  for (uint64_t k = 0; k < n; ++k) {
    const uint64_t r = k % m;
    if (r % conns != static_cast<uint64_t>(c))
      continue;
    time_point scheduled{};
    if (opt.rate > 0) {
      scheduled = st.start
                  + std::chrono::duration_cast<clock_type::duration>(
                    std::chrono::duration<double>(k / opt.rate));
      if (scheduled >= st.deadline)
        break;
      std::this_thread::sleep_until(scheduled);
    }
    auto first_try = clock_type::now();
    if (first_try >= st.deadline)
      break;
    ++out.sent;
    if (opt.payload == "template")
      body = "{\"to\":\"" + recipient_name(r)
             + "\",\"type\":\"template\",\"template\":{\"namespace\":"
               "\"bench\",\"name\":\"bench_order\",\"language\":{"
               "\"policy\":\"deterministic\",\"code\":\"en\"},"
               "\"components\":[{\"type\":\"body\",\"parameters\":["
               "{\"type\":\"text\",\"text\":\"bench "
             + std::to_string(k)
             + "\"},{\"type\":\"currency\",\"currency\":{"
               "\"fallback_value\":\"$1.00\",\"code\":\"USD\","
               "\"amount_1000\":1000}}]}]}}";
    else
      body = "{\"to\":\"" + recipient_name(r)
             + "\",\"recipient_type\":\"individual\",\"type\":\"text\","
               "\"text\":{\"body\":\"bench "
             + std::to_string(k) + "\"}}";
    bool done = false;
    for (int attempt = 1; !done; ++attempt) {
      ++out.requests;
      auto res = cli->post(body);
      std::string what;
      if (res.status == 0) {
        what = "network: " + res.error;
      } else if (res.status == 201) {
        auto id = message_id_of(res.body);
        if (id.empty()) {
          ++out.failed;
          st.report_failure("201 without an id: " + res.body);
        } else {
          auto now = clock_type::now();
          ++out.accepted;
          st.accepted_total.fetch_add(1, std::memory_order_relaxed);
          out.latency_ms.push_back(static_cast<float>(ms_between(first_try, now)));
          if (opt.rate > 0)
            out.sched_latency_ms.push_back(
              static_cast<float>(ms_between(scheduled, now)));
          if (have_201) {
            double gap = ms_between(out.last_201, now);
            if (gap > out.max_gap_ms) {
              out.max_gap_ms = gap;
              out.max_gap_end_s = ms_between(st.start, now) / 1000.0;
            }
          }
          have_201 = true;
          out.last_201 = now;
          st.ids_by_recipient[r].push_back(std::move(id));
        }
        done = true;
        continue;
      } else if (res.status == 503 || res.status == 429) {
        what = "HTTP " + std::to_string(res.status) + " " + res.body;
      } else {
        ++out.failed;
        st.report_failure("HTTP " + std::to_string(res.status) + " "
                          + res.body);
        done = true;
        continue;
      }
      // Only retryable outcomes get here.
      if (attempt >= opt.max_tries) {
        ++out.failed;
        st.report_failure("gave up after " + std::to_string(attempt)
                          + " tries, last: " + what);
        done = true;
        continue;
      }
      int backoff_ms = std::min(500, 20 << std::min(attempt - 1, 5));
      auto wake = clock_type::now() + std::chrono::milliseconds(backoff_ms);
      if (wake >= st.deadline) {
        ++out.abandoned;
        done = true;
        continue;
      }
      ++out.retried;
      std::this_thread::sleep_until(wake);
    }
  }
}

/// The q-quantile of sorted values (0 if empty).
double quantile(const std::vector<float>& sorted, double q) {
  if (sorted.empty())
    return 0;
  size_t idx = static_cast<size_t>(std::ceil(q * sorted.size()));
  idx = idx == 0 ? 0 : idx - 1;
  return sorted[std::min(idx, sorted.size() - 1)];
}

// -- the simulator ------------------------------------------------------------

/// One line of the simulator's log.
struct log_line {
  int64_t seq = 0;
  std::string id;
  std::string recipient;
};

/// Reads the whole log of the simulator; false if it could not.
///
/// Pages by line count and drops lines whose seq was seen before, so it is
/// correct whether `from` counts lines or seq numbers and whether seq starts
/// at 0 or 1 (at worst one line per page is fetched twice).
bool fetch_log(const std::string& sim, std::vector<log_line>& out,
               uint64_t expect) {
  httplib::Client cli(sim);
  cli.set_keep_alive(true);
  cli.set_connection_timeout(2, 0);
  cli.set_read_timeout(30, 0);
  const uint64_t limit = 50000;
  const uint64_t max_pages = expect / limit * 4 + 1000;
  const auto give_up = clock_type::now() + std::chrono::seconds(120);
  std::unordered_set<int64_t> seen;
  uint64_t from = 0;
  for (uint64_t page = 0; page < max_pages; ++page) {
    if (clock_type::now() > give_up) {
      std::fprintf(stderr, "loadgen: reading the sim log took too long\n");
      return false;
    }
    auto res = cli.Get("/log?from=" + std::to_string(from)
                       + "&limit=" + std::to_string(limit));
    if (!res || res->status != 200) {
      std::fprintf(stderr, "loadgen: GET %s/log failed: %s\n", sim.c_str(),
                   res ? ("HTTP " + std::to_string(res->status)).c_str()
                       : httplib::to_string(res.error()).c_str());
      return false;
    }
    uint64_t lines = 0;
    std::istringstream in{res->body};
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty())
        continue;
      ++lines;
      log_line entry;
      std::istringstream fields{line};
      std::string seq;
      if (!std::getline(fields, seq, '\t') || !std::getline(fields, entry.id, '\t'))
        continue;
      std::getline(fields, entry.recipient, '\t');
      entry.seq = std::strtoll(seq.c_str(), nullptr, 10);
      if (seen.insert(entry.seq).second)
        out.push_back(std::move(entry));
    }
    if (lines == 0)
      return true;
    from += lines;
  }
  std::fprintf(stderr, "loadgen: the sim log has more pages than expected\n");
  return false;
}

/// GET <sim>/stats as (accepted, duplicates); false if unreachable.
bool sim_stats(httplib::Client& cli, int64_t& accepted, int64_t& duplicates) {
  auto res = cli.Get("/stats");
  if (!res || res->status != 200)
    return false;
  accepted = int_field(res->body, "accepted");
  duplicates = int_field(res->body, "duplicates");
  return accepted >= 0;
}

/// The delivery check's results.
struct sim_report {
  bool checked = false;
  int64_t sim_accepted = 0; // since the run started
  int64_t sim_duplicates = 0;
  double delivered_per_s = 0;
  double delivery_end_s = 0; // since start: when the last id arrived
  uint64_t log_lines = 0;
  uint64_t lost = 0;
  uint64_t unexpected = 0;
  uint64_t dup_in_log = 0;
  uint64_t order_violations = 0;
};

/// Samples the simulator's accepted counter during the run, so that the
/// time the last message reached the upstream is known to ~20 ms.
struct sim_poller {
  std::string url;
  time_point start;
  int64_t base_accepted = 0;
  int64_t base_duplicates = 0;
  std::atomic<bool> stop{false};
  std::atomic<int64_t> target{-1}; // accepted count to wait for, -1 = unknown
  std::mutex mtx;
  int64_t last_accepted = 0;
  int64_t last_duplicates = 0;
  time_point last_change{};
  bool reached = false;
  time_point reached_at{};
  std::thread thread;

  void run(time_point hard_deadline) {
    httplib::Client cli(url);
    cli.set_keep_alive(true);
    cli.set_connection_timeout(1, 0);
    cli.set_read_timeout(5, 0);
    while (!stop.load() && clock_type::now() < hard_deadline) {
      int64_t acc = 0;
      int64_t dup = 0;
      if (sim_stats(cli, acc, dup)) {
        auto now = clock_type::now();
        std::lock_guard<std::mutex> guard{mtx};
        acc -= base_accepted;
        if (acc != last_accepted) {
          last_accepted = acc;
          last_change = now;
        }
        last_duplicates = dup >= 0 ? dup - base_duplicates : 0;
        auto want = target.load();
        if (!reached && want >= 0 && acc >= want) {
          reached = true;
          reached_at = last_change;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  bool is_reached() {
    std::lock_guard<std::mutex> guard{mtx};
    return reached;
  }
};

/// Compares the simulator's log with our 201s.
void check_log(const run_state& st, const std::vector<log_line>& log,
               sim_report& rep) {
  const uint64_t m = st.opt.recipients;
  std::unordered_map<std::string, uint32_t> ours; // id -> recipient
  for (uint64_t r = 0; r < m; ++r)
    for (auto& id : st.ids_by_recipient[r])
      ours.emplace(id, static_cast<uint32_t>(r));
  std::vector<const log_line*> by_seq;
  by_seq.reserve(log.size());
  for (auto& entry : log)
    by_seq.push_back(&entry);
  std::sort(by_seq.begin(), by_seq.end(),
            [](auto* a, auto* b) { return a->seq < b->seq; });
  std::unordered_map<std::string, uint32_t> count;
  std::unordered_set<std::string> unexpected;
  // Per recipient, our ids in the order the upstream received them (first
  // occurrence only: a repeat is counted as a duplicate instead).
  std::vector<std::vector<const std::string*>> log_order(m);
  for (auto* entry : by_seq) {
    auto& n = count[entry->id];
    if (++n > 1) {
      ++rep.dup_in_log;
      continue;
    }
    auto it = ours.find(entry->id);
    if (it == ours.end())
      unexpected.insert(entry->id);
    else
      log_order[it->second].push_back(&it->first);
  }
  rep.log_lines = log.size();
  rep.unexpected = unexpected.size();
  for (auto& [id, r] : ours) {
    if (count.find(id) == count.end()) {
      // Name the first few, so a loss can be traced in the database.
      if (++rep.lost <= 10)
        std::cerr << "lost: " << id << " (recipient index " << r << ")\n";
    }
  }
  for (uint64_t r = 0; r < m; ++r) {
    // Our 201 order restricted to ids the upstream got (lost ones are
    // counted above) must equal the upstream's order.
    const auto& sent = st.ids_by_recipient[r];
    size_t j = 0;
    bool ok = true;
    for (auto& id : sent) {
      if (count.find(id) == count.end())
        continue;
      if (j >= log_order[r].size() || *log_order[r][j] != id) {
        ok = false;
        break;
      }
      ++j;
    }
    if (!ok || j != log_order[r].size())
      ++rep.order_violations;
  }
}

/// Writes every accepted id to `path`, one a line; false (and why, on
/// stderr) if it could not.
bool write_ids(const run_state& st, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) {
    std::fprintf(stderr, "loadgen: cannot write %s: %s\n", path.c_str(),
                 std::strerror(errno));
    return false;
  }
  for (auto& ids : st.ids_by_recipient)
    for (auto& id : ids)
      std::fprintf(f, "%s\n", id.c_str());
  return std::fclose(f) == 0;
}

} // namespace

int main(int argc, char** argv) {
  options opt;
  if (!parse_options(argc, argv, opt)) {
    usage();
    return 2;
  }
  run_state st{opt};
  if (!opt.no_auth) {
    std::string token = opt.token.empty() ? login(opt) : opt.token;
    if (token.empty())
      return 2;
    st.auth_header = "Bearer " + token;
  }
  st.ids_by_recipient.resize(opt.recipients);

  sim_poller poller;
  if (!opt.sim.empty()) {
    httplib::Client cli(opt.sim);
    cli.set_connection_timeout(2, 0);
    cli.set_read_timeout(5, 0);
    if (!sim_stats(cli, poller.base_accepted, poller.base_duplicates)) {
      std::fprintf(stderr, "loadgen: %s/stats is not reachable\n",
                   opt.sim.c_str());
      return 2;
    }
    if (poller.base_duplicates < 0)
      poller.base_duplicates = 0;
  }

  st.start = clock_type::now();
  st.deadline = st.start
                + std::chrono::duration_cast<clock_type::duration>(
                  std::chrono::duration<double>(opt.duration_s));
  if (!opt.sim.empty()) {
    poller.url = opt.sim;
    poller.start = st.start;
    auto hard = st.deadline
                + std::chrono::duration_cast<clock_type::duration>(
                  std::chrono::duration<double>(opt.wait_delivered_s + 60));
    poller.thread = std::thread([&poller, hard] { poller.run(hard); });
  }

  std::vector<conn_stats> per_conn(static_cast<size_t>(opt.connections));
  {
    std::vector<std::thread> threads;
    threads.reserve(per_conn.size());
    for (int c = 0; c < opt.connections; ++c)
      threads.emplace_back(
        [&st, c, &per_conn] { run_connection(st, c, per_conn[c]); });
    for (auto& t : threads)
      t.join();
  }
  auto send_end = clock_type::now();

  conn_stats total;
  std::vector<float> lat;
  std::vector<float> sched;
  int gap_conn = -1;
  for (size_t c = 0; c < per_conn.size(); ++c) {
    auto& s = per_conn[c];
    total.sent += s.sent;
    total.accepted += s.accepted;
    total.failed += s.failed;
    total.retried += s.retried;
    total.abandoned += s.abandoned;
    total.requests += s.requests;
    lat.insert(lat.end(), s.latency_ms.begin(), s.latency_ms.end());
    sched.insert(sched.end(), s.sched_latency_ms.begin(),
                 s.sched_latency_ms.end());
    if (s.max_gap_ms > total.max_gap_ms) {
      total.max_gap_ms = s.max_gap_ms;
      total.max_gap_end_s = s.max_gap_end_s;
      gap_conn = static_cast<int>(c);
    }
  }
  std::sort(lat.begin(), lat.end());
  std::sort(sched.begin(), sched.end());
  double elapsed_s = ms_between(st.start, send_end) / 1000.0;
  if (!opt.ids_out.empty() && !write_ids(st, opt.ids_out))
    return 2;
  double accepted_per_s = elapsed_s > 0 ? total.accepted / elapsed_s : 0;

  sim_report rep;
  bool sim_ok = true;
  if (!opt.sim.empty()) {
    poller.target.store(static_cast<int64_t>(total.accepted));
    auto wait_until = clock_type::now()
                      + std::chrono::duration_cast<clock_type::duration>(
                        std::chrono::duration<double>(opt.wait_delivered_s));
    while (!poller.is_reached() && clock_type::now() < wait_until)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    poller.stop = true;
    poller.thread.join();
    {
      std::lock_guard<std::mutex> guard{poller.mtx};
      rep.sim_accepted = poller.last_accepted;
      rep.sim_duplicates = poller.last_duplicates;
      auto end = poller.reached ? poller.reached_at : poller.last_change;
      if (end > st.start) {
        rep.delivery_end_s = ms_between(st.start, end) / 1000.0;
        rep.delivered_per_s = rep.delivery_end_s > 0
                                ? rep.sim_accepted / rep.delivery_end_s
                                : 0;
      }
    }
    std::vector<log_line> log;
    if (fetch_log(opt.sim, log, total.accepted + poller.base_accepted)) {
      // Take the final duplicates counter after the log is complete.
      httplib::Client cli(opt.sim);
      cli.set_connection_timeout(2, 0);
      cli.set_read_timeout(5, 0);
      int64_t acc = 0;
      int64_t dup = 0;
      if (sim_stats(cli, acc, dup) && dup >= 0)
        rep.sim_duplicates = dup - poller.base_duplicates;
      check_log(st, log, rep);
      rep.checked = true;
    } else {
      sim_ok = false;
    }
  }

  // A message still being retried when --duration ran out was never served:
  // that fails the run like a give-up does, and so does a run without a 201.
  bool pass = total.failed == 0 && total.abandoned == 0 && total.accepted > 0
              && sim_ok && rep.lost == 0 && rep.dup_in_log == 0
              && rep.order_violations == 0;

  if (opt.json) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w{buf};
    w.StartObject();
    w.Key("url");
    w.String(opt.url.c_str());
    w.Key("connections");
    w.Int(opt.connections);
    w.Key("recipients");
    w.Uint64(opt.recipients);
    w.Key("rate");
    w.Double(opt.rate);
    w.Key("messages");
    w.Uint64(opt.messages);
    w.Key("sent");
    w.Uint64(total.sent);
    w.Key("accepted");
    w.Uint64(total.accepted);
    w.Key("failed");
    w.Uint64(total.failed);
    w.Key("retried");
    w.Uint64(total.retried);
    w.Key("abandoned");
    w.Uint64(total.abandoned);
    w.Key("requests");
    w.Uint64(total.requests);
    w.Key("elapsed_s");
    w.Double(elapsed_s);
    w.Key("accepted_per_s");
    w.Double(accepted_per_s);
    w.Key("p50_ms");
    w.Double(quantile(lat, 0.5));
    w.Key("p99_ms");
    w.Double(quantile(lat, 0.99));
    w.Key("p999_ms");
    w.Double(quantile(lat, 0.999));
    w.Key("max_ms");
    w.Double(lat.empty() ? 0 : lat.back());
    if (opt.rate > 0) {
      w.Key("sched_p50_ms");
      w.Double(quantile(sched, 0.5));
      w.Key("sched_p99_ms");
      w.Double(quantile(sched, 0.99));
      w.Key("sched_p999_ms");
      w.Double(quantile(sched, 0.999));
      w.Key("sched_max_ms");
      w.Double(sched.empty() ? 0 : sched.back());
    }
    w.Key("max_gap_ms");
    w.Double(total.max_gap_ms);
    w.Key("max_gap_end_s");
    w.Double(total.max_gap_end_s);
    w.Key("max_gap_connection");
    w.Int(gap_conn);
    if (!opt.sim.empty()) {
      w.Key("sim_checked");
      w.Bool(rep.checked);
      w.Key("sim_accepted");
      w.Int64(rep.sim_accepted);
      w.Key("sim_duplicates");
      w.Int64(rep.sim_duplicates);
      w.Key("delivered_per_s");
      w.Double(rep.delivered_per_s);
      w.Key("delivery_end_s");
      w.Double(rep.delivery_end_s);
      w.Key("log_lines");
      w.Uint64(rep.log_lines);
      w.Key("lost");
      w.Uint64(rep.lost);
      w.Key("unexpected");
      w.Uint64(rep.unexpected);
      w.Key("dup_in_log");
      w.Uint64(rep.dup_in_log);
      w.Key("order_violations");
      w.Uint64(rep.order_violations);
    }
    w.Key("pass");
    w.Bool(pass);
    w.EndObject();
    std::printf("%s\n", buf.GetString());
  } else {
    std::printf("sent %" PRIu64 " accepted %" PRIu64 " failed %" PRIu64
                " retried %" PRIu64 " abandoned %" PRIu64 "\n",
                total.sent, total.accepted, total.failed, total.retried,
                total.abandoned);
    std::printf("elapsed %.3f s, %.0f accepted msg/s (%d connections)\n",
                elapsed_s, accepted_per_s, opt.connections);
    std::printf("latency ms: p50 %.2f p99 %.2f p999 %.2f max %.2f\n",
                quantile(lat, 0.5), quantile(lat, 0.99), quantile(lat, 0.999),
                lat.empty() ? 0.0 : lat.back());
    if (opt.rate > 0)
      std::printf("from schedule ms: p50 %.2f p99 %.2f p999 %.2f max %.2f\n",
                  quantile(sched, 0.5), quantile(sched, 0.99),
                  quantile(sched, 0.999), sched.empty() ? 0.0 : sched.back());
    std::printf("longest stall %.1f ms (connection %d, ended at %.3f s)\n",
                total.max_gap_ms, gap_conn, total.max_gap_end_s);
    if (!opt.sim.empty()) {
      std::printf("sim: accepted %" PRId64 " duplicates %" PRId64
                  ", delivered %.0f msg/s (last at %.3f s)\n",
                  rep.sim_accepted, rep.sim_duplicates, rep.delivered_per_s,
                  rep.delivery_end_s);
      if (rep.checked)
        std::printf("log: %" PRIu64 " lines, lost %" PRIu64
                    " unexpected %" PRIu64 " duplicated %" PRIu64
                    " order violations %" PRIu64 "\n",
                    rep.log_lines, rep.lost, rep.unexpected, rep.dup_in_log,
                    rep.order_violations);
      else
        std::printf("log: not checked\n");
    }
    std::printf("%s\n", pass ? "PASS" : "FAIL");
  }
  return pass ? 0 : 1;
}
