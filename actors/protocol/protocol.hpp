#pragma once

/// Transitional: the protocol headers by name plus the local atoms that
/// actors/master/ (supervisor, lease keeper and their test),
/// actors/coreapp/webhook_dispatcher.cpp, runtime/roles/node_config.cpp,
/// runtime/roles/role_master.cpp and http/sim_query_server.hpp still take
/// from here. Every other file includes the one protocol it speaks
/// (cluster.hpp, send.hpp, upstream.hpp, errors.hpp, timeouts.hpp,
/// register.hpp); this header goes once those include theirs and declare
/// their local atoms next to the actor that uses them.

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
