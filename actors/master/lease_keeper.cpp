#include "actors/master/lease_keeper.hpp"

#include <chrono>
#include <iostream>

#include <caf/all.hpp>
#include <pqxx/pqxx>

#include "actors/lifecycle.hpp"
#include "runtime/db_pool.hpp"
#include "runtime/log.hpp"
#include "runtime/store/master_lease.hpp"

namespace mc {

lease_keeper_state::~lease_keeper_state() = default;

namespace {

using clock_type = std::chrono::steady_clock;

void set_role(caf::stateful_actor<lease_keeper_state>* self, bool primary,
              int64_t epoch) {
  auto& st = self->state;
  if (st.primary == primary && st.epoch == epoch)
    return;
  st.primary = primary;
  st.epoch = epoch;
  log_info(st.cfg.node_id, primary ? "became primary master, epoch "
                                   : "is secondary master, lease epoch ",
           epoch);
  self->send(st.subscriber, lease_atom::value, primary, epoch);
}

/// One round: renew when primary, otherwise try to take the lease.
void round(caf::stateful_actor<lease_keeper_state>* self) {
  auto& st = self->state;
  auto sent_at = clock_type::now();
  auto ttl = std::chrono::milliseconds{st.cfg.ttl_ms};
  try {
    auto& conn = st.db.get();
    if (st.primary) {
      // A frozen holder lands here on wake-up: its deadline has passed
      // already, so it acts as nothing while the renewal is decided.
      if (renew_lease(conn, st.cfg.node_id, st.epoch, st.cfg.ttl_ms)) {
        st.view->hold(st.epoch, sent_at, ttl);
      } else {
        st.view->drop();
        log_info(st.cfg.node_id, "lost the master lease, stepping down");
        set_role(self, false, st.epoch);
      }
    } else if (auto epoch = try_acquire_lease(conn, st.cfg.node_id,
                                              st.cfg.ttl_ms)) {
      st.view->hold(*epoch, sent_at, ttl);
      set_role(self, true, *epoch);
    }
  } catch (const std::exception& e) {
    st.db.reset();
    log_error(st.cfg.node_id, "lease round failed: ", e.what());
    if (st.primary && !st.view->valid()) {
      log_info(st.cfg.node_id, "lease expired without renewal, stepping down");
      set_role(self, false, st.epoch);
    }
  }
}

/// Releases the lease if held and stops competing for it.
void give_up(caf::stateful_actor<lease_keeper_state>* self) {
  auto& st = self->state;
  st.stopping = true;
  if (st.primary) {
    try {
      release_lease(st.db.get(), st.cfg.node_id, st.epoch);
    } catch (...) {
      // The lease expires on its own.
    }
  }
  st.view->drop();
  self->quit();
}

} // namespace

caf::behavior lease_keeper(caf::stateful_actor<lease_keeper_state>* self,
                           lease_keeper_config cfg,
                           std::shared_ptr<lease_view> view,
                           caf::actor subscriber) {
  self->state.cfg = std::move(cfg);
  self->state.db = db_connection{self->state.cfg.db_uri};
  self->state.view = std::move(view);
  self->state.subscriber = std::move(subscriber);
  // The lease is held for the supervisor's sake: should it end for any
  // reason, give the lease up at once so that another master supervises,
  // instead of renewing it for a primary that supervises nothing.
  self->monitor(self->state.subscriber);
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    if (dm.source != st.subscriber.address() || st.stopping)
      return;
    log_error(st.cfg.node_id, "the supervisor ended (",
              self->system().render(dm.reason), "); giving up the lease");
    give_up(self);
  });
  self->send(self, caf::tick_atom::value);
  return {
    [=](caf::tick_atom) {
      auto& st = self->state;
      if (st.stopping)
        return;
      round(self);
      // Secondaries poll faster than the holder renews, so a takeover
      // happens soon after the lease expires.
      auto next = st.primary ? st.cfg.renew_ms
                             : std::max(20, st.cfg.renew_ms / 2);
      self->delayed_send(self, std::chrono::milliseconds{next},
                         caf::tick_atom::value);
    },
    [=](stop_atom) { give_up(self); },
  };
}

} // namespace mc
