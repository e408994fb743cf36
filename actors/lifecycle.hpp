#pragma once

#include <caf/atom.hpp>

namespace mc {

/// (stop_atom): finish what is in hand and quit. Local to a process: the
/// role wiring sends it to the actors it started when the node shuts down
/// (the lease keeper releases its lease, writers close their connection,
/// the simulator stops its timers). Never sent across the network.
using stop_atom = caf::atom_constant<caf::atom("stop")>;

} // namespace mc
