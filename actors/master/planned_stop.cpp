/// A coreapp's planned stop (SIGTERM), the supervisor's part:
///
///   node                      supervisor                      webapps
///    |-- (leaving, id) -------->| mark leaving
///    |                          |-- push: its shards held ------->|
///    |<-- (deactivate, s, e) ---| per shard
///    |-- ok (drained) --------->|
///    |                          | place_shards: CAS to a live node,
///    |                          | activate, push releases each shard
///    |<-- ok -------------------|
///    exits 0
///
/// The shards move as soon as they drained: no wait for `unhealthy`, and
/// the commit in flight finishes instead of failing on the epoch.

#include "actors/master/planned_stop.hpp"

#include <memory>
#include <vector>

#include <caf/all.hpp>

#include "actors/master/reshard_coordinator.hpp"
#include "actors/protocol/errors.hpp"

namespace mc::supervision {

namespace {

/// Places the drained shards and answers the node.
void finish_hand_off(self_ptr self, const std::string& node,
                     caf::typed_response_promise<caf::ok_atom> rp) {
  auto& st = self->state;
  st.handing_off.clear();
  if (acting(self))
    guarded(self, "placing a leaving node's shards",
            [&] { place_shards(self); });
  push_map(self);
  log_info(st.cfg.node_id, "coreapp ", node, " handed its shards over");
  rp.deliver(caf::ok_atom::value);
}

} // namespace

caf::result<caf::ok_atom> hand_off(self_ptr self, const std::string& node) {
  auto& st = self->state;
  if (!acting(self))
    return make_error(mc_errc::not_primary, "not the acting primary");
  auto i = st.coreapps.find(node);
  if (i == st.coreapps.end() || !i->second.handle)
    return caf::ok_atom::value; // not supervised: its link drop moves them
  i->second.leaving = true;
  log_info(st.cfg.node_id, "coreapp ", node, " is leaving; moving its shards");
  std::vector<shard_slot> owned;
  for (auto& slot : st.table.slots)
    if (slot.owner == node && !st.activating.count(slot.shard_id))
      owned.push_back(slot);
  // A shard-count change drains every shard itself and places the new
  // map without a leaving node.
  if (owned.empty() || st.resharding)
    return caf::ok_atom::value;
  auto rp = self->make_response_promise<caf::ok_atom>();
  for (auto& slot : owned)
    st.handing_off.insert(slot.shard_id);
  push_map(self); // holds them: no send reaches the draining owner
  auto pending = std::make_shared<size_t>(owned.size());
  auto master_epoch = st.master_epoch;
  auto one_done = [=]() mutable {
    if (--*pending > 0)
      return;
    if (self->state.master_epoch != master_epoch || !acting(self)) {
      rp.deliver(make_error(mc_errc::not_primary, "lost the lease"));
      return;
    }
    finish_hand_off(self, node, rp);
  };
  auto handle = i->second.handle;
  for (auto& slot : owned)
    self->request(handle, timeouts::deactivate_reply, deactivate_atom::value,
                  slot.shard_id, slot.epoch)
      .then([=](caf::ok_atom) mutable { one_done(); },
            [=](const caf::error&) mutable { one_done(); });
  return rp;
}

} // namespace mc::supervision
