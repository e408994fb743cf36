#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/protocol/cluster.hpp"
#include "actors/remote_connector.hpp"
#include "actors/webapp/routing_table.hpp"
#include "runtime/store/shard_map_store.hpp"

namespace mc {

/// Local: (hold_end_atom, version) the hold of the map `version` reached
/// its deadline.
using hold_end_atom = caf::atom_constant<caf::atom("holdend")>;

/// Settings of a route listener.
struct route_listener_config {
  std::string node_id;
  std::shared_ptr<routing_table> table;
  /// How owners are reached (CAF's middleman in production).
  remote_connector connect;
  /// Reads the map from the database, the fallback when no push comes (no
  /// primary master, or a push lost with its connection). May throw.
  std::function<shard_table()> load;
  /// Period of the fallback read.
  std::chrono::milliseconds poll_interval{1000};
};

/// What a route listener knows of one owner.
struct route_peer {
  std::string host;
  uint16_t port = 0;
  caf::actor handle;
  bool connecting = false;
};

/// State of a webapp's route listener: it receives the maps the primary
/// master pushes (the route_listener_actor interface), keeps connections
/// to the owners, and fills the routing table the HTTP threads read.
struct route_listener_state {
  static inline const char* name = "route_listener";
  route_listener_config cfg;
  bool have_map = false;
  map_update current;
  std::map<std::string, route_peer> peers;
  /// When the held shards of `current` are released at the latest.
  std::chrono::steady_clock::time_point hold_until;
  /// When the database was last read: many HTTP threads ask for a read on
  /// the same routing error, one read answers them all.
  std::chrono::steady_clock::time_point last_read;
};

/// The map read from the database, as a push would carry it (version: its
/// highest epoch only, so that any push of the same map outranks it).
map_update polled_map(const shard_table& table);

/// Speaks route_listener_actor (the master actor_casts its handle to it);
/// untyped itself because the remote connector drives an event-based
/// actor. Also takes refresh_atom and (drop_atom, owner) from the routing
/// table. Spawn detached in production: the fallback read blocks.
caf::behavior route_listener(caf::stateful_actor<route_listener_state>* self,
                             route_listener_config cfg);

} // namespace mc
