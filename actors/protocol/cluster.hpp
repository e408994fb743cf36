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
///
/// Epochs are the fencing tokens of `shard_map`: a node never runs a shard
/// at an epoch older than one it was given.

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

} // namespace mc
