#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/protocol/protocol.hpp"
#include "runtime/settings_cache.hpp"

namespace mc {

/// Limits and batch sizes of a shard actor.
struct shard_limits {
  /// Accepted-but-unsent plus waiting-for-commit messages before 1016.
  size_t max_queue = 50000;
  /// Rows per group commit.
  size_t max_batch = 1000;
  /// Messages per upstream submit, and submits in flight.
  size_t submit_batch = 256;
  size_t window = 4;
};

/// What a shard actor needs to start.
struct shard_config {
  int32_t shard = 0;
  int64_t epoch = 0;
  int32_t shards_total = 1;
  std::string account = "default";
  std::string node_id;
  caf::actor writer;
  /// Writer for bookkeeping that is off the accept path (sent marks,
  /// callbacks), so it never delays a group commit. May equal `writer`.
  caf::actor side_writer;
  caf::actor upstream;
  std::shared_ptr<settings_cache> settings;
  shard_limits limits;
};

/// Collects the outcomes of one batched request and answers it once all
/// are known: one code per item, 0 for accepted.
struct batch_reply {
  caf::response_promise promise;
  std::vector<int32_t> codes;
  size_t remaining = 0;

  void set(size_t index, int32_t code) {
    codes[index] = code;
    if (--remaining == 0)
      promise.deliver(codes);
  }
};

/// A send waiting for its group commit.
struct waiting_send {
  upstream_message msg;
  /// Single send: answered with the id or an error.
  caf::response_promise promise;
  /// Batched send: answered through its batch.
  std::shared_ptr<batch_reply> batch;
  size_t index = 0;

  void succeed() {
    if (batch)
      batch->set(index, 0);
    else
      promise.deliver(msg.id);
  }

  void fail(mc_errc code, const char* why) {
    if (batch)
      batch->set(index, static_cast<int32_t>(code));
    else
      promise.deliver(make_error(code, why));
  }
};

/// State of a shard actor: owns one shard for one epoch, commits accepted
/// messages in batches and feeds them to its upstream session in order.
struct shard_state {
  static inline const char* name = "shard";
  shard_config cfg;
  /// Sends waiting for the next group commit.
  std::vector<waiting_send> batch;
  bool committing = false;
  /// Messages in the commit in flight.
  size_t in_commit = 0;
  /// Pending work loaded from the database; nothing is committed before,
  /// so resumed messages go upstream ahead of new ones.
  bool resumed = false;
  bool logged_in = false;
  bool stopping = false;
  /// Set by a drain: no new sends; quit once the commit in flight is done.
  bool draining = false;
  caf::response_promise drained;
  /// Committed, not yet submitted, in acceptance order.
  std::deque<upstream_message> outbox;
  /// Submitted batches awaiting their ack, by batch number.
  std::map<uint64_t, std::vector<upstream_message>> in_flight;
  uint64_t next_batch = 0;
  /// Bumped when in-flight batches are put back, so stale acks are ignored.
  uint64_t generation = 0;
  /// Acked ids not yet marked sent; flushed in one statement per period.
  std::vector<std::string> acked;
  bool sent_flush_armed = false;
  uint64_t committed_total = 0;
  /// Commit statistics since the last report.
  uint64_t commits = 0;
  uint64_t reported_total = 0;
  caf::timespan commit_time{0};
  uint64_t acked_total = 0;
};

/// Spawns with a `shard_config`; answers
/// (send_atom, shard, epoch, id, recipient, body) -> id | error.
caf::behavior shard_actor(caf::stateful_actor<shard_state>* self,
                          shard_config cfg);

} // namespace mc
