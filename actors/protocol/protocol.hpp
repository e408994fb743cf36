#pragma once

/// Transitional: the protocol headers by name plus the local atoms (tick,
/// stop, status) that the master's actors, the route listener, the webhook
/// dispatcher, node_config.cpp, role_master.cpp, role_webapp.cpp,
/// http/sim_query_server.hpp and their tests still take from here
/// (`git grep protocol/protocol.hpp` lists them). Every other file includes
/// the one protocol it speaks (cluster.hpp, send.hpp, upstream.hpp,
/// errors.hpp, timeouts.hpp, register.hpp); this header goes once those
/// include theirs and declare their local atoms next to the actor that
/// uses them.

#include <caf/atom.hpp>

#include "actors/protocol/cluster.hpp"
#include "actors/protocol/errors.hpp"
#include "actors/protocol/register.hpp"
#include "actors/protocol/send.hpp"
#include "actors/protocol/upstream.hpp"

namespace mc {

using tick_atom = caf::tick_atom;
using stop_atom = caf::atom_constant<caf::atom("stop")>;
using status_atom = caf::atom_constant<caf::atom("status")>;

} // namespace mc
