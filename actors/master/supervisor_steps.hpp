#pragma once

/// What the supervisor's two files share (supervisor.cpp: liveness and
/// rounds; reshard_coordinator.cpp: every change of the map and its push
/// to the webapps). Internal to actors/master/.

#include <chrono>
#include <exception>
#include <string>

#include <caf/actor_clock.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/master/supervisor.hpp"
#include "actors/protocol/timeouts.hpp"
#include "runtime/log.hpp"

namespace mc::supervision {

// Waits: the activate/deactivate replies and the map pushes use the budget
// of actors/protocol/timeouts.hpp (an outer wait exceeds every inner wait
// it covers). The ping wait is the configured unhealthy time
// (supervisor_config): a pong later than that is no evidence of life.

using self_ptr = caf::stateful_actor<supervisor_state>*;

inline cluster_store& db(self_ptr self) {
  return *self->state.cfg.store;
}

/// The actor clock: virtual time under the deterministic test scheduler.
inline caf::actor_clock::time_point now(self_ptr self) {
  return self->clock().now();
}

/// True while this master holds the lease it was told of.
inline bool acting(self_ptr self) {
  return self->state.primary && self->state.view->valid()
         && self->state.view->epoch() == self->state.master_epoch;
}

/// Runs `step`: the one place where the supervisor's store calls are
/// guarded. Every handler and continuation that reaches the store runs
/// through here, so a database error ends the step and never the actor:
/// under CAF's default exception handler it would end the supervisor while
/// the lease keeper keeps renewing the lease, a primary that supervises
/// nothing. The next round starts over on a fresh connection.
template <class Step>
void guarded(self_ptr self, const char* what, Step&& step) {
  try {
    step();
  } catch (const std::exception& e) {
    self->state.cfg.store->reset();
    log_error(self->state.cfg.node_id, what, " failed: ", e.what());
  }
}

/// True when `id` may serve: connected and heard from recently.
bool live(self_ptr self, const std::string& id);

/// True when `id` might still be serving: a new primary waits for it to
/// connect instead of moving its shards away at once.
bool maybe_live(self_ptr self, const std::string& id);

} // namespace mc::supervision
