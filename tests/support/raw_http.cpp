#include "support/raw_http.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>

namespace mc::test {

namespace {

using clock = std::chrono::steady_clock;

/// A non-blocking TCP socket from `source` to 127.0.0.1:port, connect
/// started; -1 on failure.
int start_connect(const std::string& source, uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  int yes = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
  sockaddr_in src{};
  src.sin_family = AF_INET;
  ::inet_pton(AF_INET, source.c_str(), &src.sin_addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof(src)) != 0) {
    ::close(fd);
    return -1;
  }
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(port);
  dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof(dst)) != 0
      && errno != EINPROGRESS) {
    ::close(fd);
    return -1;
  }
  return fd;
}

/// Milliseconds left until `deadline`, at least 0.
int ms_left(clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
    deadline - clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

/// Waits for `events` on `fd` until `deadline`; true when ready.
bool wait_fd(int fd, short events, clock::time_point deadline) {
  pollfd p{fd, events, 0};
  for (;;) {
    int n = ::poll(&p, 1, ms_left(deadline));
    if (n > 0)
      return true;
    if (n == 0 || errno != EINTR)
      return false;
  }
}

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// The header block's value of `name` (lower case), or "".
std::string header_value(const std::string& head, const std::string& name) {
  auto low = lower(head);
  auto at = low.find("\r\n" + name + ":");
  if (at == std::string::npos)
    return {};
  auto start = at + 3 + name.size();
  auto end = low.find("\r\n", start);
  auto v = head.substr(start, end - start);
  while (!v.empty() && v.front() == ' ')
    v.erase(v.begin());
  return v;
}

} // namespace

std::string http_request_text(const std::string& method,
                              const std::string& path,
                              const std::vector<std::string>& headers,
                              const std::string& body) {
  std::string out = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (auto& h : headers)
    out += h + "\r\n";
  if (!body.empty() || method != "GET")
    out += "Content-Type: application/json\r\nContent-Length: "
           + std::to_string(body.size()) + "\r\n";
  out += "\r\n";
  out += body;
  return out;
}

raw_http_client::raw_http_client(std::string source, uint16_t port)
  : source_(std::move(source)), port_(port) {
}

raw_http_client::~raw_http_client() {
  close_fd();
}

void raw_http_client::close_fd() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
  buffered_.clear();
}

bool raw_http_client::ensure_connected(std::chrono::milliseconds timeout) {
  if (fd_ >= 0)
    return true;
  fd_ = start_connect(source_, port_);
  if (fd_ < 0)
    return false;
  if (!wait_fd(fd_, POLLOUT, clock::now() + timeout)) {
    close_fd();
    return false;
  }
  int err = 0;
  socklen_t len = sizeof(err);
  ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) {
    close_fd();
    return false;
  }
  return true;
}

raw_reply raw_http_client::send(const std::string& request_text,
                                std::chrono::milliseconds timeout) {
  auto deadline = clock::now() + timeout;
  raw_reply reply;
  // A kept-alive connection the server closed meanwhile fails on the first
  // read: try once more on a new one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused = fd_ >= 0;
    if (!ensure_connected(timeout))
      return reply;
    size_t sent = 0;
    bool ok = true;
    while (sent < request_text.size()) {
      auto n = ::send(fd_, request_text.data() + sent,
                      request_text.size() - sent, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<size_t>(n);
      } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        if (!wait_fd(fd_, POLLOUT, deadline)) {
          ok = false;
          break;
        }
      } else {
        ok = false;
        break;
      }
    }
    std::string& buf = buffered_;
    size_t head_end = std::string::npos;
    size_t body_len = 0;
    while (ok) {
      if (head_end == std::string::npos) {
        head_end = buf.find("\r\n\r\n");
        if (head_end != std::string::npos) {
          auto head = buf.substr(0, head_end);
          reply.status = std::atoi(head.c_str() + head.find(' ') + 1);
          body_len = static_cast<size_t>(
            std::atol(header_value(head, "content-length").c_str()));
          reply.closing = lower(header_value(head, "connection")) == "close";
        }
      }
      if (head_end != std::string::npos
          && buf.size() >= head_end + 4 + body_len) {
        reply.body = buf.substr(head_end + 4, body_len);
        buf.erase(0, head_end + 4 + body_len);
        if (reply.closing)
          close_fd();
        return reply;
      }
      if (!wait_fd(fd_, POLLIN, deadline)) {
        ok = false;
        break;
      }
      char chunk[16384];
      auto n = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (n > 0)
        buf.append(chunk, static_cast<size_t>(n));
      else if (n < 0 && (errno == EAGAIN || errno == EINTR))
        continue;
      else
        ok = false;
    }
    bool nothing_read = reply.status == 0 && buf.empty();
    close_fd();
    if (!(reused && nothing_read) || ms_left(deadline) == 0)
      break;
    reply = raw_reply{};
  }
  reply.status = 0;
  return reply;
}

login_result raw_login(raw_http_client& cli, const std::string& user,
                       const std::string& password,
                       std::chrono::milliseconds timeout) {
  static const char* alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string in = user + ":" + password;
  std::string b64;
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    if (i + 1 < in.size())
      v |= static_cast<uint8_t>(in[i + 1]) << 8;
    if (i + 2 < in.size())
      v |= static_cast<uint8_t>(in[i + 2]);
    b64 += alphabet[(v >> 18) & 63];
    b64 += alphabet[(v >> 12) & 63];
    b64 += i + 1 < in.size() ? alphabet[(v >> 6) & 63] : '=';
    b64 += i + 2 < in.size() ? alphabet[v & 63] : '=';
  }
  auto r = cli.send(http_request_text("POST", "/v1/users/login",
                                      {"Authorization: Basic " + b64}, "{}"),
                    timeout);
  login_result out;
  out.status = r.status;
  auto at = r.body.find("\"token\":\"");
  if (r.status == 200 && at != std::string::npos) {
    auto start = at + 9;
    out.token = r.body.substr(start, r.body.find('"', start) - start);
  }
  return out;
}

raw_reply raw_send(raw_http_client& cli, const std::string& token,
                   const std::string& to, std::chrono::milliseconds timeout) {
  return cli.send(
    http_request_text("POST", "/v1/messages",
                      {"Authorization: Bearer " + token},
                      R"({"to":")" + to
                        + R"(","type":"text","text":{"body":"probe"}})"),
    timeout);
}

slow_client_pool::slow_client_pool(uint16_t port, int connections,
                                   int sources, kind k,
                                   std::chrono::milliseconds interval)
  : port_(port),
    connections_(connections),
    sources_(sources > 0 ? sources : 1),
    kind_(k),
    interval_(interval) {
  thread_ = std::thread([this] { run(); });
}

slow_client_pool::~slow_client_pool() {
  stop_ = true;
  if (thread_.joinable())
    thread_.join();
}

void slow_client_pool::run() {
  int ep = ::epoll_create1(EPOLL_CLOEXEC);
  std::map<int, bool> fds; // fd -> request line sent
  int next_source = 0;
  auto next_tick = clock::now() + interval_;
  while (!stop_) {
    // Open what is missing, at most 500 per 10 ms so the listener's accept
    // queue never overflows (a dropped SYN costs the client 1 s).
    for (int i = 0; i < 500 && static_cast<int>(fds.size()) < connections_;
         ++i) {
      auto src = "127.1." + std::to_string(1 + next_source / 250) + "."
                 + std::to_string(1 + next_source % 250);
      next_source = (next_source + 1) % sources_;
      int fd = start_connect(src, port_);
      if (fd < 0) {
        ++failed_;
        break;
      }
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLRDHUP;
      ev.data.fd = fd;
      ::epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
      fds[fd] = false;
    }
    open_ = static_cast<int>(fds.size());
    epoll_event events[512];
    int n = ::epoll_wait(ep, events, 512, 10);
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      char buf[4096];
      auto got = ::recv(fd, buf, sizeof(buf), 0);
      bool hup = events[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR);
      if ((got > 0 || (got < 0 && errno == EAGAIN)) && !hup)
        continue; // an answer (408...) before the close: wait for the close
      ::close(fd);
      fds.erase(fd);
      ++closed_;
    }
    if (kind_ == kind::slowloris && clock::now() >= next_tick) {
      next_tick = clock::now() + interval_;
      for (auto it = fds.begin(); it != fds.end();) {
        std::string line = it->second ? "X-Slow: 1\r\n"
                                      : "GET /v1/health HTTP/1.1\r\nHost: x\r\n";
        auto sent = ::send(it->first, line.data(), line.size(), MSG_NOSIGNAL);
        if (sent < 0 && errno != EAGAIN) {
          ::close(it->first);
          it = fds.erase(it);
          ++closed_;
          continue;
        }
        it->second = true;
        ++it;
      }
    }
  }
  for (auto& [fd, sent] : fds)
    ::close(fd);
  open_ = 0;
  ::close(ep);
}

long rss_kib(int pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::atol(line.c_str() + 6);
  return 0;
}

} // namespace mc::test
