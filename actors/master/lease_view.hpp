#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace mc {

/// What the lease keeper knows of the master lease, shared with the
/// supervisor of the same process.
///
/// `valid()` turns false by itself when the last renewal is older than the
/// lease's time to live: a master frozen (SIGSTOP) past its lease wakes up
/// believing nothing, because its deadline is in the past before any
/// database round trip tells it so.
class lease_view {
public:
  /// Records a successful acquire or renew that was sent at `sent_at`.
  void hold(int64_t epoch, std::chrono::steady_clock::time_point sent_at,
            std::chrono::milliseconds ttl) {
    epoch_.store(epoch);
    auto deadline = sent_at + ttl;
    deadline_ns_.store(deadline.time_since_epoch().count());
  }

  /// Forgets the lease (lost or released).
  void drop() {
    deadline_ns_.store(0);
  }

  /// True while this process may act as primary master.
  bool valid() const {
    auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    return now < deadline_ns_.load();
  }

  int64_t epoch() const {
    return epoch_.load();
  }

private:
  std::atomic<int64_t> epoch_{0};
  std::atomic<int64_t> deadline_ns_{0};
};

} // namespace mc
