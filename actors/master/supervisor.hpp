#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_clock.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/master/cluster_store.hpp"
#include "actors/master/map_pusher.hpp"
#include "actors/protocol/cluster.hpp"
#include "actors/remote_connector.hpp"
#include "actors/master/lease_view.hpp"
#include "runtime/store/shard_map_store.hpp"


namespace mc {

/// Settings of the supervisor.
struct supervisor_config {
  std::string node_id;
  /// Period of the supervision round and of the coreapp pings.
  std::chrono::milliseconds heartbeat{200};
  /// A coreapp silent for this long is declared dead.
  std::chrono::milliseconds unhealthy{1000};
  /// Where the cluster's state lives (PostgreSQL in production).
  std::shared_ptr<cluster_store> store;
  /// How coreapps are reached (CAF's middleman in production).
  remote_connector connect;
};

/// What the supervisor knows of one coreapp.
struct coreapp_entry {
  std::string host;
  uint16_t caf_port = 0;
  cluster_node_actor handle;
  bool connecting = false;
  std::chrono::steady_clock::time_point last_seen;
  std::chrono::steady_clock::time_point connected_at;
  /// Whether its row in the nodes table was live (mc_node_live) at the
  /// last refresh.
  bool db_live = false;
  /// Shards (and epochs) the coreapp reported in its last pong.
  std::map<int32_t, int64_t> owned;
  /// Whether a connection was tried since the entry was made: a row whose
  /// heartbeat is stale is tried once, because a stale row may only mean
  /// that the database was out, not the coreapp (liveness is the pongs').
  bool tried = false;
  /// The coreapp said it leaves (a planned stop): it gets no shard and
  /// its shards move now.
  bool leaving = false;
};

/// State of the supervisor, run by the primary master: tracks coreapp
/// liveness (supervisor.cpp) and keeps every shard owned by exactly one
/// live coreapp; every change of the map, the shard-count change included,
/// is the reshard coordinator's (reshard_coordinator.cpp), which pushes
/// each new map to the webapps.
struct supervisor_state {
  static inline const char* name = "supervisor";
  supervisor_config cfg;
  std::shared_ptr<lease_view> view;
  bool primary = false;
  int64_t master_epoch = 0;
  /// The lease keeper's last word: this master holds the lease at
  /// master_epoch. A supervisor that paused because the view lapsed (a
  /// renewal or take-over that came back late, after a database outage)
  /// resumes once the view is valid again, since the keeper says nothing
  /// new then.
  bool leased = false;
  std::map<std::string, coreapp_entry> coreapps;
  /// The webapps the map is pushed to.
  map_pusher webapps;
  shard_table table;
  /// The account shard sessions log in with.
  std::string account = "default";
  /// Shards with an activation in flight (not to be placed twice).
  std::set<int32_t> activating;
  /// When each shard's last activation was confirmed.
  std::map<int32_t, caf::actor_clock::time_point> activated_at;
  /// A shard-count change in progress (shards drain, then one commit).
  bool resharding = false;
  std::chrono::steady_clock::time_point reshard_started;
  /// When the last round ran: a longer gap means the supervisor could not
  /// hear pongs meanwhile (its thread was blocked, e.g. on the database).
  std::optional<caf::actor_clock::time_point> last_round;
  /// Shards a leaving coreapp drains before they move (held at webapps).
  std::set<int32_t> handing_off;
  ~supervisor_state();
};

/// Spawn detached in production: the store talks to the database
/// synchronously. Receives
/// (lease_atom, primary, epoch) from the lease keeper.
caf::behavior supervisor(caf::stateful_actor<supervisor_state>* self,
                         supervisor_config cfg,
                         std::shared_ptr<lease_view> view);

} // namespace mc
