#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/coreapp/coreapp_stats.hpp"
#include "actors/coreapp/shard.hpp"
#include "actors/protocol/cloud_intake.hpp"
#include "actors/protocol/cluster.hpp"
#include "actors/protocol/read.hpp"
#include "actors/protocol/send.hpp"
#include "actors/protocol/settings_push.hpp"
#include "actors/protocol/stats.hpp"
#include "actors/protocol/upstream_contacts.hpp"
#include "actors/protocol/upstream.hpp"
#include "actors/protocol/upstream_account.hpp"
#include "runtime/settings_cache.hpp"

namespace mc {

/// (status) -> shards: the shards the node runs (its webhook dispatcher and
/// its heartbeat ask).
using status_atom = caf::atom_constant<caf::atom("status")>;
/// (leave) -> ok: a planned stop (the role got SIGTERM). The node tells the
/// supervisor it leaves, which drains its shards and moves them; shards
/// not handed over that way drain here. The answer comes once every shard
/// parted (see shard_actor's handoff) or timeouts::leave_reply passed.
using leave_atom = caf::atom_constant<caf::atom("leave")>;

/// The coreapp node's published actor: the cluster control interface (the
/// supervisor's view), the send and read interfaces (the webapps' view) and
/// its local messages.
using coreapp_node_actor = cluster_node_actor::extend_with<send_actor>::
  extend_with<read_actor>::extend_with<stats_actor>::
  extend_with<contacts_actor>::extend_with<upstream_account_actor>::
  extend_with<cloud_intake_actor>::extend_with<settings_push_actor>::extend<
  /// (upstream, handle): the node reconnected to the upstream; its shards'
  /// sessions log in again through the new handle.
  caf::reacts_to<upstream_atom, upstream_actor>,
  caf::replies_to<status_atom>::with<std::vector<int32_t>>,
  caf::replies_to<leave_atom>::with<caf::ok_atom>>;

/// What a coreapp node starts with.
struct coreapp_config {
  std::string node_id;
  /// The node's database writers; shard s uses writers[s % size].
  std::vector<db_writer_actor> writers;
  upstream_actor upstream;
  /// The upstream is this node's Cloud API driver (actors/cloud/), which
  /// also takes the webhook intake's pushes.
  bool cloud = false;
  std::shared_ptr<settings_cache> settings;
  shard_limits limits;
  /// Raised when the upstream connection drops (see coreapp_node_state).
  std::shared_ptr<std::atomic<bool>> upstream_lost;
  /// The node's in-memory counters (GET /v1/stats/app).
  std::shared_ptr<coreapp_stats> stats = std::make_shared<coreapp_stats>();
  /// Moves media between the store and the upstream (may be null).
  media_relay_actor media;
};

/// One shard this node serves.
struct owned_shard {
  int64_t epoch = 0;
  shard_actor actor;
};

/// State of a coreapp node: a warm secondary until the primary master
/// activates shards on it; then it runs one shard actor per owned shard and
/// routes the webapps' sends to them.
struct coreapp_node_state {
  static inline const char* name = "coreapp_node";
  coreapp_config cfg;
  std::map<int32_t, owned_shard> shards;
  /// Every shard actor spawned, for stopping them when the node exits
  /// (shared: the exit hook outlives the state).
  std::shared_ptr<std::vector<shard_actor>> children
    = std::make_shared<std::vector<shard_actor>>();
  /// The supervisor that pinged last: where a planned stop is announced
  /// (masters publish no port).
  caf::actor supervisor;
  /// A planned stop is under way: deactivations hand shards off.
  bool leaving = false;
  /// Handed-off shards still parting.
  std::set<caf::actor_addr> parting;
  /// Answers to the leave, given once nothing is left.
  std::vector<caf::typed_response_promise<caf::ok_atom>> left;
};

coreapp_node_actor::behavior_type
coreapp_node(coreapp_node_actor::stateful_pointer<coreapp_node_state> self,
             coreapp_config cfg);

} // namespace mc
