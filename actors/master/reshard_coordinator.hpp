#pragma once

/// The reshard coordinator's entry points, called by the supervisor
/// (actors/master/supervisor.cpp). The sequences they start, the
/// shard-count change and the failover push, are written out at the top of
/// reshard_coordinator.cpp.

#include <cstdint>

#include "actors/master/supervisor_steps.hpp"

namespace mc::supervision {

/// Gives every shard a live owner (failover and first placement) and
/// pushes the map to the webapps when it changed.
void place_shards(self_ptr self);

/// Starts the shard-count change to `shards` recorded in the database
/// (`cluster.reshard_to`): hold push, drain, commit, placement.
void begin_reshard(self_ptr self, int32_t shards);

/// Pushes the current map to every webapp.
void push_map(self_ptr self);

} // namespace mc::supervision
