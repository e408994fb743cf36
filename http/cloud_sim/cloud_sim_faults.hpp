#pragma once

/// Faults the query API injects into the Cloud API simulator: failing
/// sends, latency per Graph call and the webhook poster's behaviour.

#include <atomic>
#include <mutex>
#include <optional>
#include <string>

#include "http/cloud_sim/cloud_graph_error.hpp"

namespace mc {

/// How the webhook poster treats its receiver.
enum class cloud_webhook_mode {
  normal, ///< posts; a 200 delivers
  refuse, ///< posts, then counts the attempt failed whatever the answer
  pause   ///< posts nothing; events wait (bounded by the queue cap)
};

/// The current faults; thread-safe.
class cloud_sim_faults {
public:
  /// The next `count` sends answer `error` (after authentication and
  /// validation, before the limits).
  void fail_sends(int count, cloud_graph_error error);

  /// Takes one injected failure if any is left.
  std::optional<cloud_graph_error> take_send_failure();

  /// Extra milliseconds before every Graph API answer.
  void set_latency_ms(int ms) { latency_ms_.store(ms); }
  int latency_ms() const { return latency_ms_.load(); }

  /// Sleeps the current latency.
  void delay() const;

  void set_webhook_mode(cloud_webhook_mode m) { webhook_mode_.store(m); }
  cloud_webhook_mode webhook_mode() const { return webhook_mode_.load(); }

  /// Injected failures not yet taken.
  int pending_send_failures();

  void reset();

private:
  std::mutex mtx_;
  int fail_count_ = 0;
  cloud_graph_error fail_error_;
  std::atomic<int> latency_ms_{0};
  std::atomic<cloud_webhook_mode> webhook_mode_{cloud_webhook_mode::normal};
};

} // namespace mc
