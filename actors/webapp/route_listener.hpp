#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_clock.hpp>
#include <caf/atom.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/lifecycle.hpp"
#include "actors/protocol/cluster.hpp"
#include "actors/remote_connector.hpp"
#include "actors/webapp/routing_table.hpp"
#include "runtime/store/shard_map_store.hpp"

namespace mc {

/// Local: (hold_end_atom, version) the hold of the map `version` reached
/// its deadline.
using hold_end_atom = caf::atom_constant<caf::atom("holdend")>;
/// Local: (connected_atom, owner, host, port, handle) a connection attempt
/// finished; the handle is invalid when it failed.
using connected_atom = caf::atom_constant<caf::atom("connected")>;

/// A route listener's whole interface: the push interface of the cluster
/// protocol, which the primary master reaches, plus what its own process
/// sends it (the routing table, its timers, its connector).
using route_listener_local = route_listener_actor::extend<
  caf::reacts_to<refresh_atom>, caf::reacts_to<drop_atom, std::string>,
  caf::reacts_to<hold_end_atom, map_version>, caf::reacts_to<caf::tick_atom>,
  caf::reacts_to<connected_atom, std::string, std::string, uint16_t,
                 caf::actor>,
  caf::reacts_to<stop_atom>>;

/// The listener's connector: (connect, owner, host, port), answered later
/// with (connected_atom, ...) to the listener.
using route_connector_actor = caf::typed_actor<
  caf::reacts_to<caf::connect_atom, std::string, std::string, uint16_t>>;

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
  /// Runs cfg.connect for the listener (see route_connector).
  route_connector_actor connector;
  bool have_map = false;
  map_update current;
  std::map<std::string, route_peer> peers;
  /// When the held shards of `current` are released at the latest (actor
  /// clock).
  caf::actor_clock::time_point hold_until;
  /// When the database was last read: many HTTP threads ask for a read on
  /// the same routing error, one read answers them all.
  std::chrono::steady_clock::time_point last_read;
};

/// The map read from the database, as a push would carry it (version: its
/// highest epoch only, so that any push of the same map outranks it).
map_update polled_map(const shard_table& table);

/// Spawn detached in production: the fallback read blocks. The master
/// reaches it as a route_listener_actor.
route_listener_local::behavior_type
route_listener(route_listener_local::stateful_pointer<route_listener_state> self,
               route_listener_config cfg);

/// The listener's linked helper: the remote connector drives an untyped
/// event-based actor, so this one runs it and reports each outcome to the
/// listener as (connected_atom, ...). Speaks route_connector_actor.
caf::behavior route_connector(caf::event_based_actor* self,
                              remote_connector connect,
                              route_listener_local listener);

} // namespace mc
