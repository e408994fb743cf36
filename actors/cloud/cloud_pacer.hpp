#pragma once

#include <chrono>
#include <mutex>

namespace mc {

/// The node's share of the phone number's throughput, as a token bucket
/// shared by its senders (thread-safe). The cluster-wide budget is split
/// by shards: a node owning k of n shards may send budget * k / n msg/s,
/// which sums to the budget since the shard function spreads recipients
/// evenly. A throughput refusal from the Cloud API (130429 or HTTP 429)
/// halves the rate for `cool_down`, then it returns to the share.
class cloud_pacer {
public:
  using clock = std::chrono::steady_clock;

  explicit cloud_pacer(double budget_per_s);

  /// Sets the share to `owned` of `total` shards.
  void share(int owned, int total);

  /// Takes one token: zero when one was there, else how long the caller
  /// waits before asking again.
  clock::duration take(clock::time_point now = clock::now());

  /// The Cloud API said the number sends too fast.
  void slow_down(clock::time_point now = clock::now());

  /// The rate in force now, msg/s.
  double rate(clock::time_point now = clock::now());

private:
  double rate_locked(clock::time_point now) const;

  std::mutex mtx_;
  double budget_;
  double share_ = 1.0;
  double tokens_ = 1.0;
  clock::time_point last_{};
  clock::time_point slow_until_{};
};

} // namespace mc
