#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace mc::http {

/// A Prometheus-style latency histogram that HTTP threads record into
/// without a lock: one relaxed atomic increment per bucket hit, one for
/// the count and one for the sum. A reader may see a count one ahead of
/// the buckets for a moment; Prometheus tolerates that, and nothing here
/// derives one figure from another.
class latency_histogram {
public:
  /// Upper bounds in milliseconds (le), the last bucket is +Inf.
  static constexpr std::array<double, 12> bounds_ms{
    1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};

  void record(std::chrono::microseconds took) {
    auto us = took.count() < 0 ? 0 : static_cast<uint64_t>(took.count());
    size_t i = 0;
    while (i < bounds_ms.size() && static_cast<double>(us) > bounds_ms[i] * 1000)
      ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
    sum_us_.fetch_add(us, std::memory_order_relaxed);
  }

  /// Observations in bucket `i` alone (not cumulative); i == bounds_ms.size()
  /// is the +Inf bucket.
  uint64_t bucket(size_t i) const {
    return buckets_[i].load(std::memory_order_relaxed);
  }

  uint64_t count() const {
    return count_.load(std::memory_order_relaxed);
  }

  /// Sum of the observations in milliseconds.
  double sum_ms() const {
    return static_cast<double>(sum_us_.load(std::memory_order_relaxed))
           / 1000.0;
  }

private:
  std::array<std::atomic<uint64_t>, bounds_ms.size() + 1> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_us_{0};
};

} // namespace mc::http
