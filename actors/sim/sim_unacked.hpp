#pragma once

/// The simulator's pushes that no session acknowledged yet: a plain object
/// the upstream_sim actor owns. As the real messaging servers do, every
/// receipt and inbound batch pushed to a session owner is kept until the
/// session at the current epoch of its shard answers ok; a push that failed
/// or timed out is pushed again after a backoff, and a login of the shard
/// (its next owner) gets every push of the shard again. A window bounds
/// the unacknowledged items per shard: beyond it nothing more is pushed
/// there until acks come (a database outage of the owner makes the pushes
/// wait here, not get lost).

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor_clock.hpp>
#include <caf/timespan.hpp>

#include "actors/protocol/upstream.hpp"

namespace mc {

class sim_unacked {
public:
  using time_point = caf::actor_clock::time_point;
  /// (account, shard).
  using key = std::pair<std::string, int32_t>;

  /// One batch pushed and not yet acknowledged.
  struct push {
    uint64_t no = 0;
    key k;
    /// The epoch of the session it was last pushed to: only that session's
    /// ok counts.
    int64_t epoch = 0;
    std::vector<upstream_receipt> receipts;
    std::vector<inbound_message> inbound;
    /// Pushes so far.
    int attempts = 0;
    /// Waiting for the answer to its latest push.
    bool in_flight = false;
    /// When a failed push may go again.
    time_point retry_at{};

    size_t size() const {
      return receipts.size() + inbound.size();
    }
  };

  /// The first push waits `timeout` for its answer; a failed one goes
  /// again after 250 ms, doubling up to `max_backoff`.
  explicit sim_unacked(size_t window = 2000,
                       caf::timespan timeout = std::chrono::seconds{2},
                       caf::timespan max_backoff = std::chrono::seconds{8});

  /// Items that may still be pushed to `k` before its window is full.
  size_t room(const key& k) const;

  /// Records a batch pushed now to the session of `k` at `epoch`; returns
  /// its number. The caller sends it (see sent).
  uint64_t add(const key& k, int64_t epoch,
               std::vector<upstream_receipt> receipts,
               std::vector<inbound_message> inbound);

  /// The push, or null once acked.
  const push* find(uint64_t no) const;

  /// Push `no` is being sent to the session at `epoch`.
  void sent(uint64_t no, int64_t epoch);

  /// The session at `epoch` acknowledged push `no`. False (and nothing
  /// changes) when the push is gone or was pushed to another epoch since.
  bool ack(uint64_t no, int64_t epoch);

  /// The push to `epoch` failed or timed out: it goes again after the
  /// backoff (unless it was pushed elsewhere since).
  void failed(uint64_t no, int64_t epoch, time_point now);

  /// The pushes of `k` to send again: all of them after a login (`all`),
  /// else those that failed and whose backoff passed.
  std::vector<uint64_t> due(const key& k, bool all, time_point now) const;

  /// The keys with pushes waiting for a retry, and the earliest retry time.
  std::optional<time_point> next_retry() const;
  std::vector<key> keys() const;

  /// Removes and returns every push of `account` (its shard count changed:
  /// the items belong to other shards now).
  std::vector<push> take_account(const std::string& account);

  /// How long the push waits for an answer.
  caf::timespan timeout() const {
    return timeout_;
  }

  /// Unacknowledged items in all.
  size_t items() const {
    return items_;
  }

private:
  size_t window_;
  caf::timespan timeout_;
  caf::timespan max_backoff_;
  uint64_t next_no_ = 1;
  size_t items_ = 0;
  std::map<uint64_t, push> pushes_;
  std::map<key, size_t> per_key_;
};

} // namespace mc
