#pragma once

/// Cluster control: the primary master's supervisor drives every coreapp
/// node through this interface (each node publishes an actor that speaks
/// it on its CAF port).
///
///   supervisor                          coreapp node
///       |-- (activate, s, e, n, account) -->|  spawn shard s at epoch e
///       |<------------- ok | stale_epoch ---|
///       |-- (deactivate, s, e) ------------>|  drain, then stop shard s
///       |<------------------------------ ok |
///       |-- (ping) ------------------------>|  heartbeat
///       |<-- (pong, node id, [{s, e}...]) --|  the shards it runs
///       |<-------------- (leaving, node id) |  a planned stop (SIGTERM):
///       |-- (deactivate, s, e) ------------>|  each of its shards drains,
///       |<------------------------------ ok |  moves to another node
///       |-- ok ---------------------------->|  now; then the node exits
///
/// The node sends `leaving` to the supervisor that pinged it last (masters
/// publish no port; their pings are how a node knows them).
///
/// Epochs are the fencing tokens of `shard_map`: a node never runs a shard
/// at an epoch older than one it was given.
///
/// Map pushes: the primary master pushes the shard map to every webapp
/// (each publishes a route listener on its CAF port):
///
///   master                              webapp route listener
///       |-- (update, map_update) -------->|  routes; holds sends for the
///       |<----------------------------ok |  held shards until the next push
///                                           or the hold's deadline

#include <cstdint>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

namespace mc {

using activate_atom = caf::atom_constant<caf::atom("activate")>;
using deactivate_atom = caf::atom_constant<caf::atom("deactivat")>;
using leaving_atom = caf::atom_constant<caf::atom("leaving")>;

/// One shard and the epoch it runs at.
struct shard_epoch {
  int32_t shard = 0;
  int64_t epoch = 0;
};

inline bool operator==(const shard_epoch& x, const shard_epoch& y) {
  return x.shard == y.shard && x.epoch == y.epoch;
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, shard_epoch& x) {
  return f(caf::meta::type_name("shard_epoch"), x.shard, x.epoch);
}

/// The control interface of a coreapp node.
using cluster_node_actor = caf::typed_actor<
  /// (activate, shard, epoch, shards_total, account) -> ok: the node runs
  /// `shard` at `epoch` of a `shards_total`-shard configuration and its
  /// session logs in as `account`. A repeated activation is ok; one older
  /// than the epoch the node runs fails with mc_errc::stale_epoch.
  caf::replies_to<activate_atom, int32_t, int64_t, int32_t,
                  std::string>::with<caf::ok_atom>,
  /// (deactivate, shard, epoch) -> ok once the shard drained (its commit in
  /// flight finished) and stopped; ok at once if it does not run there.
  caf::replies_to<deactivate_atom, int32_t, int64_t>::with<caf::ok_atom>,
  /// (ping) -> (pong, node id, shards it runs): the application heartbeat.
  caf::replies_to<caf::ping_atom>::with<caf::pong_atom, std::string,
                                          std::vector<shard_epoch>>>;

/// What a coreapp node may ask of the supervisor.
using cluster_supervisor_actor = caf::typed_actor<
  /// (leaving, node id) -> ok once every shard of the node drained and was
  /// given to another node (or nobody is left to take it): the node stops
  /// next. Fails when this master is not the acting primary.
  caf::replies_to<leaving_atom, std::string>::with<caf::ok_atom>>;

/// Where a webapp sends one shard's messages.
struct route_entry {
  int32_t shard = 0;
  int64_t epoch = 0;
  std::string owner; ///< node id; empty when nobody serves the shard
  std::string host;
  uint16_t port = 0; ///< the owner's CAF port
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, route_entry& x) {
  return f(caf::meta::type_name("route_entry"), x.shard, x.epoch, x.owner,
           x.host, x.port);
}

/// Orders map pushes, so that an older one never overwrites a newer one:
/// first the map's highest epoch (epochs are global, every change of the
/// map takes the next one), then the lease epoch of the master that pushed
/// it, then that master's push counter. A map read from the database has
/// only the first part (the others zero): a push of the same map, which
/// may hold shards, outranks it.
struct map_version {
  int64_t map_epoch = 0;
  int64_t master_epoch = 0;
  int64_t seq = 0;
};

inline bool operator<(const map_version& x, const map_version& y) {
  if (x.map_epoch != y.map_epoch)
    return x.map_epoch < y.map_epoch;
  if (x.master_epoch != y.master_epoch)
    return x.master_epoch < y.master_epoch;
  return x.seq < y.seq;
}

inline bool operator==(const map_version& x, const map_version& y) {
  return !(x < y) && !(y < x);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, map_version& x) {
  return f(caf::meta::type_name("map_version"), x.map_epoch, x.master_epoch,
           x.seq);
}

/// The shard map as the primary master pushes it to webapps.
struct map_update {
  /// The shard count the routes are for.
  int32_t shards = 1;
  map_version version;
  /// One entry per shard, by shard id.
  std::vector<route_entry> routes;
  /// Shards whose sends the webapp holds (they drain, move or activate)
  /// until a later push releases them.
  std::vector<int32_t> held;
  /// The longest the webapp holds them if no later push comes (a master
  /// that died mid-change): it then routes by the map as it is.
  int64_t hold_ms = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, map_update& x) {
  return f(caf::meta::type_name("map_update"), x.shards, x.version, x.routes,
           x.held, x.hold_ms);
}

/// The push interface of a webapp.
using route_listener_actor = caf::typed_actor<
  /// (update, map) -> ok: the webapp routes by `map` unless it has a newer
  /// one; it holds sends for `map.held`.
  caf::replies_to<caf::update_atom, map_update>::with<caf::ok_atom>>;

} // namespace mc
