#include "actors/master/retention_pruner.hpp"

#include <caf/all.hpp>

#include "actors/lifecycle.hpp"
#include "runtime/log.hpp"
#include "runtime/store/cloud_store.hpp"
#include "runtime/store/retention_store.hpp"

namespace mc {

namespace {

using self_ptr = caf::stateful_actor<retention_pruner_state>*;

/// Runs `one_batch` until it deletes less than a batch or the period's
/// share is used; returns the rows deleted.
template <class Batch>
int64_t drain_batches(self_ptr self, Batch one_batch) {
  int64_t total = 0;
  for (int i = 0; i < self->state.cfg.batches && self->state.view->valid();
       ++i) {
    auto n = one_batch();
    total += n;
    if (n < self->state.cfg.batch)
      break;
  }
  return total;
}

void prune(self_ptr self) {
  auto& st = self->state;
  if (!st.view->valid())
    return;
  try {
    auto& conn = st.db.get();
    auto callbacks = drain_batches(self, [&] {
      return expire_callbacks(conn, st.cfg.callback_expiry_s, st.cfg.batch);
    });
    auto keys = drain_batches(self, [&] {
      return prune_posted_keys(conn, st.cfg.callback_dedup_s, st.cfg.batch);
    });
    auto messages = drain_batches(self, [&] {
      return prune_messages(conn, st.cfg.message_retention_s, st.cfg.batch);
    });
    // A wamid outlives its message by nothing: the next owner looks one up
    // only for a message still pending.
    messages += drain_batches(self, [&] {
      return prune_cloud_messages(conn, st.cfg.message_retention_s,
                                  st.cfg.batch);
    });
    // A status whose wamid never came (its send went again under another
    // wamid) is no use after its message is gone.
    messages += drain_batches(self, [&] {
      return prune_cloud_waiting(conn, st.cfg.message_retention_s,
                                 st.cfg.batch);
    });
    if (callbacks > 0 || keys > 0 || messages > 0)
      log_info(st.cfg.node_id, "pruned ", callbacks, " expired callbacks, ",
               keys, " posted callbacks' keys and ", messages,
               " messages past retention");
  } catch (const std::exception& e) {
    st.db.reset();
    log_error(st.cfg.node_id, "pruning failed: ", e.what());
  }
}

} // namespace

caf::behavior retention_pruner(self_ptr self, retention_pruner_config cfg,
                               std::shared_ptr<lease_view> view) {
  self->state.db = db_connection{cfg.db_uri};
  self->state.cfg = std::move(cfg);
  self->state.view = std::move(view);
  self->send(self, caf::tick_atom::value);
  return {
    [=](caf::tick_atom) {
      prune(self);
      self->delayed_send(self, self->state.cfg.period, caf::tick_atom::value);
    },
    [=](stop_atom) { self->quit(); },
  };
}

} // namespace mc
