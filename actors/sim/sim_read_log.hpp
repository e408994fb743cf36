#pragma once

/// The read receipts the upstream simulator took (mark-as-read of inbound
/// messages, actors/protocol/upstream_read.hpp), for the query API's
/// GET /reads. Thread-safe: the simulator records, the query server lists.

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace mc {

/// One read receipt as the simulator took it.
struct sim_read {
  std::string account;
  int32_t shard = 0;
  int64_t epoch = 0;
  std::string message_id;
  std::string sender;
};

class sim_read_log {
public:
  /// Keeps the newest this many receipts: a long run must not grow the
  /// simulator without bound.
  static constexpr size_t capacity = 100'000;

  void record(sim_read x) {
    std::lock_guard<std::mutex> guard{mtx_};
    if (reads_.size() >= capacity)
      reads_.erase(reads_.begin(), reads_.begin() + capacity / 10);
    reads_.push_back(std::move(x));
    ++total_;
  }

  /// The receipts kept, oldest first.
  std::vector<sim_read> list() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return reads_;
  }

  /// Every receipt ever recorded.
  uint64_t total() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return total_;
  }

private:
  mutable std::mutex mtx_;
  std::vector<sim_read> reads_;
  uint64_t total_ = 0;
};

} // namespace mc
