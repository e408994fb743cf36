#pragma once

/// A coreapp's planned stop, on the supervisor's side: the node says it
/// leaves, its shards drain there and move to other nodes at once, instead
/// of after `unhealthy` (a frozen node) or at the down message (a crash,
/// whose commit in flight is cut).

#include <string>

#include <caf/event_based_actor.hpp>
#include <caf/result.hpp>

#include "actors/master/supervisor_steps.hpp"

namespace mc::supervision {

/// Marks `node` leaving (it gets no shard any more), holds its shards at
/// the webapps, deactivates each (the node drains: its commit in flight
/// finishes), then places them on other live coreapps. Answers ok once
/// every shard was placed, or when there is nothing to hand over; an error
/// when this master does not act (the node then drains on its own and the
/// next primary sees it gone).
caf::result<caf::ok_atom> hand_off(self_ptr self, const std::string& node);

} // namespace mc::supervision
