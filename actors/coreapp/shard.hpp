#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/coreapp/db_writer.hpp"
#include "actors/coreapp/coreapp_stats.hpp"
#include "actors/coreapp/inbound_media_gate.hpp"
#include "actors/coreapp/send_queue.hpp"
#include "actors/coreapp/shard_events.hpp"
#include "actors/coreapp/upstream_session.hpp"
#include "actors/lifecycle.hpp"
#include "actors/protocol/read.hpp"
#include "actors/protocol/send.hpp"
#include "actors/protocol/upstream.hpp"
#include "runtime/settings_cache.hpp"

namespace mc {

/// (stop): the shard stops at once (deactivated without a drain).

/// (handoff): a drain at a planned stop; see shard_actor.
using handoff_atom = caf::atom_constant<caf::atom("handoff")>;
/// (commit_late, n): local timer of commit n's answer to its clients.
using commit_late_atom = caf::atom_constant<caf::atom("latecommit")>;

/// Limits and batch sizes of a shard actor.
struct shard_limits {
  /// Messages the shard holds (waiting for a commit, in the commit in
  /// flight, committed and not yet acked upstream) before 1016.
  size_t max_queue = 50000;
  /// Rows per group commit.
  size_t max_batch = 1000;
  /// Messages per upstream submit, and submits in flight.
  size_t submit_batch = 256;
  size_t window = 4;
  /// Pushes (receipt, inbound) whose writes are under way before further
  /// pushes are refused (overloaded; the upstream pushes them again after
  /// its backoff): the writer's backlog stays short, so writes answer
  /// within their bound instead of timing out and being pushed again.
  size_t max_push_writes = 16;
};

/// What a shard actor needs to start.
struct shard_config {
  int32_t shard = 0;
  int64_t epoch = 0;
  int32_t shards_total = 1;
  std::string account = "default";
  std::string node_id;
  db_writer_actor writer;
  /// Writer for bookkeeping that is off the accept path (sent marks,
  /// callbacks), so it never delays a group commit. May equal `writer`.
  db_writer_actor side_writer;
  upstream_actor upstream;
  std::shared_ptr<settings_cache> settings;
  shard_limits limits;
  /// The node's in-memory counters (GET /v1/stats/app); may be null.
  std::shared_ptr<coreapp_stats> stats;
  /// Passed on to the session (may be null).
  media_relay_actor media;
};

/// The full interface of a shard actor: the send protocol, the upstream's
/// pushes, and the messages of its node, its session and its own timers.
using shard_actor = shard_send_actor::extend_with<upstream_owner_actor>
  ::extend_with<read_actor>::extend<
  /// (drain) -> ok once the commit in flight finished; the shard stops.
  caf::replies_to<drain_atom>::with<caf::ok_atom>,
  /// (handoff) -> ok once the commit in flight finished, as drain; then the
  /// shard parts: it keeps taking its session's receipts and inbound
  /// messages (persisting them) until the next owner's login ends the
  /// session (kicked) or `timeouts::part` passes, and stops.
  caf::replies_to<handoff_atom>::with<caf::ok_atom>,
  /// Local: the parting bound passed.
  caf::reacts_to<caf::timeout_atom>,
  /// Local: commit number n is still in flight at the commit wait.
  caf::reacts_to<commit_late_atom, uint64_t>,
  caf::reacts_to<stop_atom>,
  /// (upstream, handle): passed on to the session.
  caf::reacts_to<upstream_atom, upstream_actor>,
  /// From the session.
  caf::reacts_to<acked_atom, std::vector<upstream_message>>,
  /// Local: start the next group commit.
  caf::reacts_to<caf::flush_atom>,
  /// Local: write the sent marks collected since the last period.
  caf::reacts_to<sent_atom>,
  /// Local: load the pending messages again after a failure.
  caf::reacts_to<caf::pending_atom>>;

/// State of a shard actor: owns one shard for one epoch, commits accepted
/// messages in batches and hands them to its upstream session in order.
struct shard_state {
  static inline const char* name = "shard";
  shard_config cfg;
  upstream_session_actor session;
  shard_events events;
  /// Inbound batches waiting for their media (see shard_inbound), and the
  /// answers to their pushes, in the same order.
  inbound_media_gate inbound_media;
  std::deque<caf::typed_response_promise<caf::ok_atom>> inbound_acks;
  /// A write of sent statuses is in flight (shard_callbacks).
  bool sent_writing = false;
  /// Pushes taken and not yet answered (shard_callbacks).
  size_t push_writes = 0;
  send_queue sends;
  /// Drains waiting for the commit in flight.
  std::vector<caf::typed_response_promise<caf::ok_atom>> drained;
  /// The drain is a handoff: after it the shard parts instead of stopping.
  bool part = false;
  /// The number of the commit in flight (or of the last one).
  uint64_t commit_no = 0;
  /// The sends of the commit in flight, until they are answered: at its
  /// outcome, or with commit_unknown at `timeouts::commit`.
  std::shared_ptr<std::vector<waiting_send>> in_commit;
  /// Commit statistics since the last report.
  uint64_t committed_total = 0;
  uint64_t commits = 0;
  uint64_t reported_total = 0;
  caf::timespan commit_time{0};
};

/// Spawns with a `shard_config`; see shard.cpp for its phases.
shard_actor::behavior_type
shard_impl(shard_actor::stateful_pointer<shard_state> self, shard_config cfg);

} // namespace mc
