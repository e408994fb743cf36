#pragma once

/// The Cloud API's send limits: per-number throughput (130429) and the
/// pair rate to one recipient (131056), both token buckets.

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace mc {

/// Which limit a send met, if any.
enum class cloud_limit_verdict { ok, throughput, pair };

/// The business number's buckets.
class cloud_sim_limits {
public:
  using clock = std::chrono::steady_clock;

  /// `mps` tokens per second in a bucket of `mps_burst`; `pair_per_min`
  /// per minute to one recipient in a bucket of `pair_burst`.
  cloud_sim_limits(int mps, int mps_burst, int pair_per_min, int pair_burst);

  /// Takes one token of each bucket if both have one; else names the limit
  /// met first (throughput before pair) and takes nothing.
  cloud_limit_verdict admit(const std::string& recipient,
                            clock::time_point now = clock::now());

  /// Fills every bucket again (POST /reset).
  void reset();

private:
  struct bucket {
    double tokens = 0;
    clock::time_point at;
  };

  static void refill(bucket& b, double per_s, double cap,
                     clock::time_point now);

  /// Drops the pair buckets that are full again, so the map stays bounded
  /// by the recipients of the last few minutes.
  void prune_locked(clock::time_point now);

  double mps_;
  double mps_burst_;
  double pair_per_s_;
  double pair_burst_;
  std::mutex mtx_;
  bucket number_;
  std::unordered_map<std::string, bucket> pairs_;
};

} // namespace mc
