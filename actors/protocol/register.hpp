#pragma once

/// Registration of every type that crosses a process boundary.

#include <caf/actor_system_config.hpp>

namespace mc {

/// Registers the message types of cluster.hpp, send.hpp and upstream.hpp
/// and the "mc" error category; every node calls it before it starts its
/// actor system.
void register_protocol(caf::actor_system_config& cfg);

} // namespace mc
