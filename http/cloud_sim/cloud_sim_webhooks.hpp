#pragma once

/// The Cloud API simulator's webhook poster: statuses and inbound messages
/// in the Cloud webhook envelope, signed with the app secret
/// (X-Hub-Signature-256), a few events per POST, retried with backoff
/// until a 200 or the attempt limit. One lane in event order, so retries
/// never reorder the events of a recipient.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http/cloud_sim/cloud_sim_config.hpp"
#include "http/cloud_sim/cloud_sim_faults.hpp"
#include "http/cloud_sim/cloud_webhook_envelope.hpp"

namespace mc {

/// An event and how long after submission it becomes due.
using cloud_timed_event = std::pair<cloud_webhook_event, int>;

/// Totals since the start or the last reset.
struct cloud_webhook_counts {
  uint64_t submitted = 0;       ///< events accepted
  uint64_t refused = 0;         ///< events refused: the queue was full
  uint64_t attempts = 0;        ///< POSTs made
  uint64_t failures = 0;        ///< POSTs not answered 200 (or refused)
  uint64_t delivered_posts = 0; ///< POSTs answered 200
  uint64_t delivered_events = 0;
  uint64_t dropped_events = 0;  ///< given up after the last attempt
  uint64_t discarded_events = 0; ///< no webhook URL configured
  uint64_t pending = 0;          ///< scheduled, queued or in flight
};

/// One POST attempt, for the query API.
struct cloud_webhook_attempt {
  uint64_t batch = 0;
  int attempt = 0;
  int status = 0; ///< HTTP status, 0 when no answer
  bool ok = false;
  size_t events = 0;
  std::string error;
};

/// The outcome of a GET verification of the webhook URL.
struct cloud_webhook_verification {
  bool ok = false;
  int status = 0;
  std::string challenge;
  std::string echo;
  std::string error;
};

/// Posts webhooks from its own thread.
class cloud_sim_webhooks {
public:
  cloud_sim_webhooks(const cloud_sim_config& cfg,
                     std::shared_ptr<cloud_sim_faults> faults);
  ~cloud_sim_webhooks();

  cloud_sim_webhooks(const cloud_sim_webhooks&) = delete;
  cloud_sim_webhooks& operator=(const cloud_sim_webhooks&) = delete;

  void start();

  /// Stops the thread; events still waiting are lost.
  void stop();

  /// Accepts all of `events` or none: false when the events waiting plus
  /// these would pass the queue cap.
  bool submit(std::vector<cloud_timed_event> events);

  cloud_webhook_counts counts();

  /// The last attempts, oldest first (at most 200).
  std::vector<cloud_webhook_attempt> attempts();

  /// GET URL?hub.mode=subscribe&hub.verify_token=..&hub.challenge=..;
  /// ok when the answer is 200 and its body the challenge.
  cloud_webhook_verification verify();

  /// Drops every waiting event and the counts.
  void reset();

private:
  using clock = std::chrono::steady_clock;

  void run();

  /// Moves the scheduled events that are due into the queue.
  void promote_locked(clock::time_point now);

  /// Takes the next batch off the queue into the flight.
  void take_batch_locked();

  /// Posts the batch in flight once; returns the HTTP status (0: none).
  int post(const std::string& body, std::string& error);

  void record_attempt_locked(int status, bool ok, std::string error);

  cloud_sim_config cfg_;
  std::shared_ptr<cloud_sim_faults> faults_;
  cloud_webhook_envelope envelope_;
  std::string scheme_host_port_;
  std::string path_;

  std::mutex mtx_;
  std::condition_variable cv_;
  bool running_ = false;
  uint64_t seq_ = 0;
  std::multimap<clock::time_point, cloud_webhook_event> scheduled_;
  std::deque<cloud_webhook_event> queue_;
  std::string flight_body_;
  size_t flight_events_ = 0;
  int flight_attempt_ = 0;
  uint64_t flight_batch_ = 0;
  clock::time_point next_try_;
  cloud_webhook_counts counts_;
  std::deque<cloud_webhook_attempt> attempts_;
  std::thread thread_;
};

} // namespace mc
