/// The reshard coordinator: every change of the shard map the primary
/// master makes, and its push to the webapps, in one place.
///
/// Shard-count change (`POST /v1/account/shards` records `cluster.reshard_to`;
/// the record is what lets the next primary finish an interrupted change):
///
///   round sees reshard_to = n
///     begin_reshard   push the map with every shard held  --> webapps hold
///        | every webapp answered (or hold_push)               new sends
///     drain           deactivate every owned shard        --> nodes drain
///        | every node answered (or deactivate_reply)          and stop
///     finish_reshard  commit_reshard: count, map, epochs, re-homed work
///        |                                                     (one tx)
///     place_shards    CAS each shard to a live coreapp, push (held while
///        |            activating), activate
///     activate ok     push: the shard is released         --> webapps send
///
/// Failover (a coreapp's link drops or its pings stop): place_shards moves
/// its shards to standbys with a CAS each and pushes the map with them
/// held; each confirmed activation pushes the map again, releasing the
/// shard on its new owner. Webapps poll the database only as a fallback.
///
/// A deposed master stops at any step: its lease view turns invalid, every
/// store write is fenced by the lease, and the next primary finds
/// reshard_to still set and starts over (draining again is harmless).

#include <algorithm>
#include <memory>

#include <caf/all.hpp>

#include "actors/master/placement.hpp"
#include "actors/protocol/timeouts.hpp"
#include "actors/master/reshard_coordinator.hpp"
#include "actors/master/supervisor_steps.hpp"

namespace mc::supervision {

namespace {

/// The map as the webapps should route by it now: shards that drain or
/// activate are held.
map_update current_map(self_ptr self) {
  auto& st = self->state;
  map_update out;
  out.shards = st.table.shards;
  out.hold_ms = timeouts::hold.count();
  for (auto& slot : st.table.slots) {
    route_entry r{slot.shard_id, slot.epoch, slot.owner, slot.host,
                  static_cast<uint16_t>(slot.caf_port)};
    // After a move the table's address is the old owner's: the supervisor
    // knows the new one's.
    auto i = st.coreapps.find(slot.owner);
    if (i != st.coreapps.end()) {
      r.host = i->second.host;
      r.port = i->second.caf_port;
    }
    out.routes.push_back(std::move(r));
    if (st.resharding || st.activating.count(slot.shard_id)
        || st.handing_off.count(slot.shard_id))
      out.held.push_back(slot.shard_id);
  }
  return out;
}

void activate(self_ptr self, int32_t shard, const std::string& owner,
              int64_t epoch) {
  auto& st = self->state;
  st.activating.insert(shard);
  auto started = now(self);
  self->request(st.coreapps[owner].handle, timeouts::activate_reply,
                activate_atom::value, shard, epoch, st.table.shards,
                st.account)
    .then(
      [=](caf::ok_atom) {
        self->state.activating.erase(shard);
        self->state.activated_at[shard] = now(self);
        auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                    now(self) - started).count();
        log_info(self->state.cfg.node_id, "shard ", shard, " active on ",
                 owner, " epoch ", epoch, " (activation ", us / 1000.0,
                 " ms)");
        push_map(self); // releases the shard on its new owner
      },
      [=](const caf::error& err) {
        self->state.activating.erase(shard);
        log_error(self->state.cfg.node_id, "activation of shard ", shard,
                  " on ", owner, " failed: ", self->system().render(err));
        // Unown it, so the next round places it again. Should the store
        // fail too, the map still names the owner that refused: the next
        // rounds see it not running the shard and unown it then.
        if (acting(self))
          guarded(self, "unowning after a failed activation", [&] {
            db(self).cas_owner(shard, epoch, "", self->state.cfg.node_id,
                               self->state.master_epoch);
          });
        push_map(self);
      });
}

/// Commits the change and places the new map.
void finish_reshard(self_ptr self, int32_t shards) {
  auto& st = self->state;
  if (!acting(self)) {
    st.resharding = false;
    return;
  }
  bool done = false;
  guarded(self, "shard-count change", [&] {
    done = db(self).commit_reshard(shards, st.cfg.node_id, st.master_epoch);
  });
  st.resharding = false;
  if (!done) {
    // The next round starts over (draining again is harmless); until then
    // the webapps route by the old map, which the node answers for.
    push_map(self);
    return;
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
              now(self) - st.reshard_started).count();
  log_info(st.cfg.node_id, "shard count is now ", shards, " (drain and commit ",
           ms, " ms); placing shards");
  guarded(self, "placing shards", [&] { place_shards(self); });
}

/// Deactivates every owned shard; the commit follows the last answer.
void drain(self_ptr self, int32_t shards) {
  auto& st = self->state;
  auto pending = std::make_shared<int>(0);
  auto master_epoch = st.master_epoch;
  auto one_done = [=] {
    if (--*pending == 0 && self->state.master_epoch == master_epoch
        && self->state.resharding)
      finish_reshard(self, shards);
  };
  for (auto& slot : st.table.slots) {
    auto i = st.coreapps.find(slot.owner);
    if (slot.owner.empty() || i == st.coreapps.end() || !i->second.handle)
      continue; // nobody serves it; the commit fences any straggler
    ++*pending;
    self->request(i->second.handle, timeouts::deactivate_reply,
                  deactivate_atom::value, slot.shard_id, slot.epoch)
      .then([=](caf::ok_atom) { one_done(); },
            [=](const caf::error&) { one_done(); });
  }
  if (*pending == 0)
    finish_reshard(self, shards);
}

} // namespace

void push_map(self_ptr self) {
  auto& st = self->state;
  if (!acting(self))
    return;
  st.webapps.push(self, current_map(self), st.master_epoch,
                  timeouts::hold_push);
}

void place_shards(self_ptr self) {
  auto& st = self->state;
  if (st.resharding)
    return;
  // Wait for coreapps that are connecting: placing now would pile every
  // shard on whichever coreapp answered first.
  for (auto& [id, e] : st.coreapps)
    if (e.connecting && !e.handle)
      return;
  if (db(self).ensure_shard_rows() > 0)
    log_info(st.cfg.node_id, "created map rows for new shards");
  st.table = db(self).load_table();
  st.account = db(self).account();
  std::set<std::string> serving;
  std::set<std::string> live_ones;
  for (auto& [id, e] : st.coreapps) {
    if (maybe_live(self, id))
      serving.insert(id);
    if (live(self, id))
      live_ones.insert(id);
  }
  // Shards a leaving node still drains wait for the drain's end.
  auto busy = st.activating;
  busy.insert(st.handing_off.begin(), st.handing_off.end());
  auto moves = placement{serving, live_ones}.moves(st.table.slots, busy);
  bool changed = false;
  for (auto& m : moves) {
    auto& slot = *std::find_if(st.table.slots.begin(), st.table.slots.end(),
                               [&](auto& x) { return x.shard_id == m.shard; });
    if (m.to.empty()) {
      // Record that nobody serves it, so the API says so.
      if (auto e = db(self).cas_owner(slot.shard_id, slot.epoch, "",
                                      st.cfg.node_id, st.master_epoch)) {
        slot.owner.clear();
        slot.epoch = *e;
        changed = true;
      }
      log_error(st.cfg.node_id, "shard ", slot.shard_id,
                " has no live coreapp to move to");
      continue;
    }
    auto epoch = db(self).cas_owner(slot.shard_id, slot.epoch, m.to,
                                    st.cfg.node_id, st.master_epoch);
    if (!epoch) {
      log_error(st.cfg.node_id, "shard ", slot.shard_id,
                " changed under us; re-reading the map");
      st.table = db(self).load_table();
      break;
    }
    log_info(st.cfg.node_id, "moving shard ", slot.shard_id, " from '",
             slot.owner, "' to ", m.to, " epoch ", *epoch);
    slot.owner = m.to;
    slot.epoch = *epoch;
    changed = true;
    activate(self, slot.shard_id, m.to, *epoch);
  }
  // Held while activating: webapps wait for the new owner instead of
  // sending to the old one.
  if (changed)
    push_map(self);
}

void begin_reshard(self_ptr self, int32_t shards) {
  auto& st = self->state;
  // Read first: should the read fail, no change is under way.
  st.table = db(self).load_table();
  st.resharding = true;
  st.reshard_started = now(self);
  // A change to the count the cluster already has is how registering an
  // account (POST /v1/account) restarts every session: sessions log in
  // with the registered account, so a new account needs new sessions. It
  // runs the same drain, commit and placement, and is kept explicit here.
  if (shards == st.table.shards)
    log_info(st.cfg.node_id, "restarting every shard (", shards,
             ") under the registered account");
  else
    log_info(st.cfg.node_id, "changing the shard count from ",
             st.table.shards, " to ", shards, ": draining every shard");
  auto master_epoch = st.master_epoch;
  // Webapps hold new sends first, so nothing new reaches a draining shard.
  auto then_drain = [=] {
    if (self->state.master_epoch == master_epoch && self->state.resharding
        && acting(self))
      drain(self, shards);
  };
  st.webapps.push(self, current_map(self), master_epoch, timeouts::hold_push,
                  then_drain);
}

} // namespace mc::supervision
