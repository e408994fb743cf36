#pragma once

/// Load for the zero-loss end-to-end tests: sends text messages at a steady
/// rate from a thread, remembers every id answered 201, and checks at the
/// end that each one's sent, delivered and read statuses, and every inbound
/// message the simulator pushed, reached a webhook_counter.

#include <atomic>
#include <chrono>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <rapidjson/document.h>

#include "support/processes.hpp"
#include "support/webhook_counter.hpp"

namespace mc::test {

/// The simulator's /stats counter `name` (0 when unreachable).
inline uint64_t sim_stat(uint16_t sim_port, const char* name) {
  httplib::Client cli{"127.0.0.1", sim_port};
  auto res = cli.Get("/stats");
  if (!res || res->status != 200)
    return 0;
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  if (!doc.IsObject() || !doc.HasMember(name))
    return 0;
  return doc[name].GetUint64();
}

class push_load {
public:
  push_load(uint16_t http_port, std::string token, int rate)
    : port_(http_port), token_(std::move(token)), rate_(rate) {
    // nop
  }

  ~push_load() {
    stop();
  }

  void start() {
    thread_ = std::thread{[this] { run(); }};
  }

  void stop() {
    running_ = false;
    if (thread_.joinable())
      thread_.join();
  }

  /// Ids answered 201.
  std::vector<std::string> accepted() {
    std::lock_guard<std::mutex> guard{mtx_};
    return ids_;
  }

  int failed() const {
    return failed_.load();
  }

  /// Statuses of accepted messages not (yet) at the hook.
  size_t missing_statuses(webhook_counter& hook) {
    size_t n = 0;
    for (auto& id : accepted())
      for (auto status : {":sent", ":delivered", ":read"})
        n += hook.has(id + status) ? 0 : 1;
    return n;
  }

private:
  void run() {
    httplib::Client api{"127.0.0.1", port_};
    api.set_read_timeout(std::chrono::seconds{8});
    httplib::Headers auth{{"Authorization", "Bearer " + token_}};
    auto period = std::chrono::microseconds{1'000'000 / rate_};
    auto next = std::chrono::steady_clock::now();
    // Bounded: at most 10 minutes of sends.
    for (int n = 0; running_ && n < rate_ * 600; ++n) {
      next += period;
      auto to = "1555200" + std::to_string(1000 + n % 500);
      auto res = api.Post("/v1/messages", auth,
                          R"({"to":")" + to
                            + R"(","type":"text","text":{"body":"m)"
                            + std::to_string(n) + R"("}})",
                          "application/json");
      if (res && res->status == 201) {
        rapidjson::Document doc;
        doc.Parse(res->body.c_str());
        std::lock_guard<std::mutex> guard{mtx_};
        ids_.push_back(doc["messages"][0]["id"].GetString());
      } else {
        ++failed_;
      }
      std::this_thread::sleep_until(next);
    }
  }

  uint16_t port_;
  std::string token_;
  int rate_;
  std::atomic<bool> running_{true};
  std::atomic<int> failed_{0};
  std::thread thread_;
  std::mutex mtx_;
  std::vector<std::string> ids_;
};

/// Waits until every status of `load` and every inbound message the
/// simulator counted reached `hook` (or `timeout`), then reports the
/// counts; true when nothing is lost.
inline bool nothing_lost(push_load& load, webhook_counter& hook,
                         uint16_t sim_port, std::chrono::seconds timeout,
                         std::string& report) {
  auto inbound_lost = [&] {
    auto pushed = sim_stat(sim_port, "inbound");
    auto got = hook.count_prefix("message:");
    return pushed > got ? pushed - got : 0;
  };
  auto done = eventually([&] {
    return load.missing_statuses(hook) == 0 && inbound_lost() == 0;
  }, timeout);
  std::ostringstream out;
  out << "accepted " << load.accepted().size() << " (not accepted "
      << load.failed() << "), statuses lost " << load.missing_statuses(hook)
      << " of " << 3 * load.accepted().size() << "; inbound pushed "
      << sim_stat(sim_port, "inbound") << ", at the hook "
      << hook.count_prefix("message:") << ", lost " << inbound_lost()
      << "; duplicates " << hook.duplicates() << "; redelivered "
      << sim_stat(sim_port, "redelivered") << ", dropped "
      << sim_stat(sim_port, "push_dropped") << ", unacked "
      << sim_stat(sim_port, "unacked");
  report = out.str();
  return done && sim_stat(sim_port, "push_dropped") == 0;
}

} // namespace mc::test
