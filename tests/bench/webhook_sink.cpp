/// The webhook receiver for benchmarks: answers every POST 200 at once and
/// counts what the cluster posted, so run-bench can tell whether every
/// status of every accepted message arrived, and how many came twice.
///
///   webhook_sink [--host 127.0.0.1] [--port N] [--threads T]
///
/// Prints "listening on PORT" once bound (port 0 picks a free one) and runs
/// until SIGINT or SIGTERM. Routes:
/// - POST any other path: a webhook body (`{"statuses":[{"id","status"}],
///   "messages":[...]}`); each (id, status) and each inbound message is
///   counted.
/// - POST /expect?statuses=sent,delivered,read: the body lists the ids of
///   the accepted messages, one a line; replaces the previous list.
/// - GET /stats: JSON with posts, statuses, inbound messages, the ms since
///   the last post and, per expected status, received, missing (an
///   expected id without it) and duplicated (an expected id with it more
///   than once) and other (statuses of ids not expected).
/// - POST /reset: forgets the counts and the expected ids.

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "http/tuned_server.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

/// What the sink has seen since the last reset.
class sink_counts {
public:
  /// Counts one webhook body; false if it is not a JSON object.
  bool add(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    std::lock_guard<std::mutex> guard{mtx_};
    ++posts_;
    last_post_ = clock_type::now();
    if (doc.HasParseError() || !doc.IsObject()) {
      ++bad_posts_;
      return false;
    }
    if (auto it = doc.FindMember("statuses");
        it != doc.MemberEnd() && it->value.IsArray()) {
      for (auto& s : it->value.GetArray()) {
        auto id = s.FindMember("id");
        auto status = s.FindMember("status");
        if (!s.IsObject() || id == s.MemberEnd() || !id->value.IsString()
            || status == s.MemberEnd() || !status->value.IsString()) {
          ++bad_statuses_;
          continue;
        }
        ++statuses_;
        ++by_status_[status->value.GetString()][id->value.GetString()];
      }
    }
    if (auto it = doc.FindMember("messages");
        it != doc.MemberEnd() && it->value.IsArray())
      inbound_ += it->value.Size();
    return true;
  }

  /// Replaces the expected ids and statuses.
  void expect(std::vector<std::string> ids, std::vector<std::string> statuses) {
    std::lock_guard<std::mutex> guard{mtx_};
    expected_ids_ = std::move(ids);
    expected_statuses_ = std::move(statuses);
  }

  void reset() {
    std::lock_guard<std::mutex> guard{mtx_};
    posts_ = bad_posts_ = statuses_ = bad_statuses_ = inbound_ = 0;
    by_status_.clear();
    expected_ids_.clear();
    expected_statuses_.clear();
    last_post_ = {};
  }

  /// The counts as JSON (see the file comment).
  std::string stats_json() const {
    std::lock_guard<std::mutex> guard{mtx_};
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w{buf};
    w.StartObject();
    w.Key("posts");
    w.Uint64(posts_);
    w.Key("bad_posts");
    w.Uint64(bad_posts_);
    w.Key("statuses");
    w.Uint64(statuses_);
    w.Key("bad_statuses");
    w.Uint64(bad_statuses_);
    w.Key("inbound");
    w.Uint64(inbound_);
    w.Key("idle_ms");
    w.Int64(last_post_ == clock_type::time_point{}
              ? -1
              : std::chrono::duration_cast<std::chrono::milliseconds>(
                  clock_type::now() - last_post_)
                  .count());
    w.Key("expected_ids");
    w.Uint64(expected_ids_.size());
    uint64_t missing_all = 0;
    uint64_t dup_all = 0;
    w.Key("by_status");
    w.StartObject();
    std::unordered_set<std::string> wanted(expected_statuses_.begin(),
                                           expected_statuses_.end());
    for (auto& status : expected_statuses_) {
      static const std::unordered_map<std::string, uint32_t> none;
      auto it = by_status_.find(status);
      const auto& seen = it == by_status_.end() ? none : it->second;
      uint64_t missing = 0;
      uint64_t dup = 0;
      uint64_t ours = 0;
      for (auto& id : expected_ids_) {
        auto n = seen.find(id);
        if (n == seen.end()) {
          ++missing;
          continue;
        }
        ours += n->second;
        dup += n->second - 1;
      }
      uint64_t received = 0;
      for (auto& [id, n] : seen)
        received += n;
      missing_all += missing;
      dup_all += dup;
      w.Key(status.c_str());
      w.StartObject();
      w.Key("received");
      w.Uint64(received);
      w.Key("missing");
      w.Uint64(missing);
      w.Key("duplicated");
      w.Uint64(dup);
      w.Key("other");
      w.Uint64(received - ours);
      w.EndObject();
    }
    // Statuses nobody asked for (e.g. "failed") are reported as they are.
    for (auto& [status, seen] : by_status_) {
      if (wanted.count(status))
        continue;
      uint64_t received = 0;
      for (auto& [id, n] : seen)
        received += n;
      w.Key(status.c_str());
      w.StartObject();
      w.Key("received");
      w.Uint64(received);
      w.EndObject();
    }
    w.EndObject();
    w.Key("missing");
    w.Uint64(missing_all);
    w.Key("duplicated");
    w.Uint64(dup_all);
    w.EndObject();
    return buf.GetString();
  }

private:
  mutable std::mutex mtx_;
  uint64_t posts_ = 0;
  uint64_t bad_posts_ = 0;
  uint64_t statuses_ = 0;
  uint64_t bad_statuses_ = 0;
  uint64_t inbound_ = 0;
  clock_type::time_point last_post_{};
  /// status -> id -> times received.
  std::unordered_map<std::string, std::unordered_map<std::string, uint32_t>>
    by_status_;
  std::vector<std::string> expected_ids_;
  std::vector<std::string> expected_statuses_;
};

/// `text` split at `sep`, empty pieces dropped.
std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::istringstream in{text};
  std::string piece;
  while (std::getline(in, piece, sep))
    if (!piece.empty())
      out.push_back(piece);
  return out;
}

void usage() {
  std::fprintf(stderr,
               "usage: webhook_sink [--host H] [--port N] [--threads T]\n");
}

} // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  int port = 0;
  mc::http::server_tuning tuning;
  tuning.threads = 64;
  // A coreapp posts up to 200 statuses at once.
  tuning.payload_max = 16 * 1024 * 1024;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        usage();
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--host")
      host = next();
    else if (arg == "--port")
      port = std::atoi(next());
    else if (arg == "--threads")
      tuning.threads = std::atoi(next());
    else {
      usage();
      return 2;
    }
  }

  // Stop signals go to one waiting thread, not to httplib's pool threads.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  sink_counts counts;
  httplib::Server srv;
  srv.Get("/stats", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(counts.stats_json(), "application/json");
  });
  srv.Post("/reset", [&](const httplib::Request&, httplib::Response& res) {
    counts.reset();
    res.set_content("{}", "application/json");
  });
  srv.Post("/expect", [&](const httplib::Request& req, httplib::Response& res) {
    auto statuses = req.has_param("statuses")
                      ? split(req.get_param_value("statuses"), ',')
                      : std::vector<std::string>{"sent", "delivered", "read"};
    auto ids = split(req.body, '\n');
    auto n = ids.size();
    counts.expect(std::move(ids), std::move(statuses));
    res.set_content("{\"expected_ids\":" + std::to_string(n) + "}",
                    "application/json");
  });
  srv.Post(".*", [&](const httplib::Request& req, httplib::Response& res) {
    counts.add(req.body);
    res.status = 200;
    res.set_content("{}", "application/json");
  });

  int bound = mc::http::bind_tuned(srv, host, port, tuning);
  if (bound == 0) {
    std::fprintf(stderr, "webhook_sink: cannot bind %s:%d\n", host.c_str(),
                 port);
    return 1;
  }

  std::thread stopper([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    // stop() is ignored until the accept loop runs; wait for it (bounded).
    for (int i = 0; i < 1000 && !srv.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    srv.stop();
  });

  std::printf("listening on %d\n", bound);
  std::fflush(stdout);
  bool ok = mc::http::listen_tuned(srv);
  // The accept loop can end on its own (socket error): wake the stopper.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return ok ? 0 : 1;
}
