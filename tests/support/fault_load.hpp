#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/webhook_counter.hpp"

namespace mc::test {

/// What a fault test sends and where.
struct load_plan {
  /// Webapps (or a front) as base URLs ("http://10.200.7.11:9091",
  /// "https://127.0.0.1:9090"); sender threads take them in turn, so the
  /// load is spread over every one.
  std::vector<std::string> api;
  /// The CA of an https API ("" for plain http).
  std::string ca_file;
  std::string token;
  /// Sends per second, paced, for `duration`.
  int rate = 150;
  std::chrono::milliseconds duration{10000};
  /// Recipients "1555" + 7 digits, spread over every shard.
  int recipients = 200;
  /// Inbound messages per second injected at the simulator (POST /inbound,
  /// with ids of the test's own, so the expected set is exact).
  int inbound_rate = 20;
  /// The simulator's query API on loopback.
  uint16_t sim_port = 0;
  int threads = 12;
};

/// The counts of one run: what was accepted against what arrived.
struct load_report {
  size_t attempted = 0;
  size_t accepted = 0;
  /// Answers other than 201, by HTTP status (0: no answer at all).
  std::map<int, size_t> refused;
  /// Longest time one request took, and the longest time no 201 came back
  /// on any sender thread (a client's stall).
  double max_latency_ms = 0;
  double longest_stall_ms = 0;
  /// 201s the simulator never received.
  size_t sends_lost = 0;
  /// Resubmits the simulator took (idempotent, so not duplicates upstream).
  int64_t sim_resubmits = 0;
  /// Lines of the simulator's log under an epoch older than one it had
  /// already accepted for the same shard.
  size_t fencing_violations = 0;
  size_t statuses_expected = 0;
  size_t statuses_lost = 0;
  size_t inbound_injected = 0;
  size_t inbound_lost = 0;
  /// Webhook events posted more than once, and all distinct events.
  size_t webhook_duplicates = 0;
  size_t webhook_events = 0;

  size_t refused_total() const;
  double duplicate_ratio() const;
  /// One line for a test's MESSAGE and the bench's output.
  std::string summary() const;
};

/// Runs the load of a plan in background threads while a test makes its
/// fault, then counts: every 201 in the simulator's log (`/log`), its
/// delivered and read statuses and every injected inbound message at the
/// webhook counter, and the simulator's epochs per shard in acceptance
/// order (fencing). Joined on destruction.
class fault_load {
public:
  fault_load(load_plan plan, webhook_counter& hook);
  ~fault_load();
  fault_load(const fault_load&) = delete;
  fault_load& operator=(const fault_load&) = delete;

  /// Starts the senders and the inbound injector.
  void start();

  /// Waits until the plan's duration passed and every request returned;
  /// a request still without an answer 20 s after the duration is cut off
  /// (counted as no answer, its time as its latency): a hang must not hang
  /// the test.
  void join();

  /// After `join`: waits up to `settle` for every status and inbound
  /// message to arrive, then counts.
  load_report count(std::chrono::milliseconds settle);

  /// Accepted messages so far (for a test that waits for load).
  size_t accepted() const { return accepted_.load(); }

private:
  void send_loop(int thread_index);
  void inbound_loop();
  std::string inbound_from(size_t n) const;
  std::string inbound_body(size_t n) const;

  load_plan plan_;
  webhook_counter& hook_;
  std::string run_id_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<size_t> next_{0};
  std::atomic<size_t> accepted_{0};
  std::atomic<size_t> injected_{0};
  std::mutex mtx_;
  std::vector<std::string> ids_;
  std::map<int, size_t> refused_;
  double max_latency_ms_ = 0;
  double longest_stall_ms_ = 0;
  std::vector<std::thread> threads_;
  std::vector<httplib::Client*> clients_;
  std::atomic<int> running_{0};
  std::atomic<bool> joined_{false};
};

} // namespace mc::test
