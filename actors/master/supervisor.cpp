#include "actors/master/supervisor.hpp"

#include <algorithm>

#include <caf/all.hpp>

#include "actors/lifecycle.hpp"
#include "actors/master/lease_keeper.hpp"
#include "actors/master/planned_stop.hpp"
#include "actors/master/reshard_coordinator.hpp"
#include "actors/master/supervisor_steps.hpp"
#include "runtime/log.hpp"

namespace mc {

supervisor_state::~supervisor_state() = default;

namespace supervision {

bool live(self_ptr self, const std::string& id) {
  auto& st = self->state;
  auto i = st.coreapps.find(id);
  return i != st.coreapps.end() && i->second.handle && !i->second.leaving
         && now(self) - i->second.last_seen < st.cfg.unhealthy;
}

bool maybe_live(self_ptr self, const std::string& id) {
  auto& st = self->state;
  auto i = st.coreapps.find(id);
  if (i == st.coreapps.end() || i->second.leaving)
    return false;
  if (i->second.handle)
    return live(self, id);
  return i->second.connecting;
}

} // namespace supervision

namespace {

using namespace supervision;

void forget_coreapp(self_ptr self, const std::string& id, const char* why) {
  auto& st = self->state;
  auto i = st.coreapps.find(id);
  if (i == st.coreapps.end())
    return;
  if (i->second.handle) {
    self->demonitor(i->second.handle.address());
    log_info(st.cfg.node_id, "coreapp ", id, " is down (", why, ")");
  }
  st.coreapps.erase(i);
}

void connect(self_ptr self, const std::string& id) {
  auto& e = self->state.coreapps[id];
  e.connecting = true;
  e.tried = true;
  self->state.cfg.connect(self, id, e.host, e.caf_port, [=](caf::actor handle) {
    auto i = self->state.coreapps.find(id);
    if (i == self->state.coreapps.end())
      return;
    i->second.connecting = false;
    if (!handle)
      return;
    i->second.handle = caf::actor_cast<cluster_node_actor>(handle);
    i->second.last_seen = now(self);
    i->second.connected_at = now(self);
    self->monitor(handle);
    log_info(self->state.cfg.node_id, "supervising coreapp ", id);
  });
}

void refresh_coreapps(self_ptr self) {
  auto& st = self->state;
  auto nodes = db(self).coreapps(st.cfg.unhealthy);
  std::set<std::string> seen;
  for (auto& n : nodes) {
    if (n.state == node_state::stopped)
      continue;
    seen.insert(n.node_id);
    auto& e = st.coreapps[n.node_id];
    e.db_live = n.live;
    if (e.host != n.host || e.caf_port != n.caf_port) {
      // A restarted coreapp registers a new address: start over with it.
      if (e.handle)
        self->demonitor(e.handle.address());
      e = coreapp_entry{};
      e.host = n.host;
      e.caf_port = static_cast<uint16_t>(n.caf_port);
      e.db_live = n.live;
    }
    // Liveness is judged by CAF pings alone; the registry is only how
    // coreapps are found. A stale heartbeat may mean that the coreapp
    // could not reach the database (nor could we, a moment ago), so such
    // a row is tried once: a dead address fails fast and is left alone
    // until its row is fresh again.
    if (!e.handle && !e.connecting && (n.live || !e.tried))
      connect(self, n.node_id);
  }
  for (auto i = st.coreapps.begin(); i != st.coreapps.end();) {
    auto id = i->first;
    ++i;
    if (seen.count(id) == 0)
      forget_coreapp(self, id, "left the registry");
  }
}

/// Stops the shards `node` runs at an epoch the map moved past (it was
/// frozen or cut off meanwhile). The node keeps a newer activation of the
/// same shard alive.
void stop_stale_shards(self_ptr self, const std::string& node,
                       const std::vector<shard_epoch>& running) {
  auto& st = self->state;
  auto& handle = st.coreapps[node].handle;
  for (auto& [shard, epoch] : running) {
    auto& slots = st.table.slots;
    auto s = static_cast<size_t>(shard);
    bool current = s < slots.size() && slots[s].owner == node
                   && slots[s].epoch == epoch;
    if (current || st.activating.count(shard) || st.resharding)
      continue;
    log_info(st.cfg.node_id, "stopping stale shard ", shard, " epoch ", epoch,
             " on ", node);
    // A request, not a send: the node's answer must come back as a
    // response, or it lands here as an unexpected message.
    self->request(handle, timeouts::deactivate_reply, deactivate_atom::value,
                  shard, epoch)
      .then([](caf::ok_atom) {}, [](const caf::error&) {});
  }
}

/// Unowns the shards the map gives `node` that it no longer runs (it
/// fenced itself, e.g. its session was taken over), so that the next round
/// places them again. Only pings sent (at `asked`) after the activation
/// completed count, so an activation in flight is safe.
void unown_abandoned(self_ptr self, const std::string& node,
                     caf::actor_clock::time_point asked) {
  auto& st = self->state;
  if (st.resharding || !acting(self))
    return;
  auto& e = st.coreapps[node];
  for (auto& slot : st.table.slots) {
    if (slot.owner != node || e.owned.count(slot.shard_id)
        || st.activating.count(slot.shard_id)
        || st.handing_off.count(slot.shard_id))
      continue;
    // Without an activation of ours (a new primary), the first ping after
    // connecting is the evidence.
    auto done = st.activated_at.find(slot.shard_id);
    auto since = done != st.activated_at.end() ? done->second : e.connected_at;
    if (since >= asked)
      continue;
    log_info(st.cfg.node_id, "shard ", slot.shard_id, " is no longer served by ",
             node, "; placing it again");
    guarded(self, "unowning", [&] {
      if (auto epoch = db(self).cas_owner(slot.shard_id, slot.epoch, "",
                                          st.cfg.node_id, st.master_epoch)) {
        slot.owner.clear();
        slot.epoch = *epoch;
      }
    });
  }
}

/// Forgets the connected coreapps silent for longer than the unhealthy
/// time.
void forget_silent(self_ptr self) {
  auto& st = self->state;
  std::vector<std::string> dead;
  for (auto& [id, e] : st.coreapps)
    if (e.handle && now(self) - e.last_seen > st.cfg.unhealthy)
      dead.push_back(id);
  for (auto& id : dead)
    forget_coreapp(self, id, "heartbeat timeout");
}

/// Pings every connected coreapp (the application heartbeat).
void ping_coreapps(self_ptr self) {
  auto& st = self->state;
  for (auto& [id, e] : st.coreapps) {
    if (!e.handle)
      continue;
    auto node = id;
    auto asked = now(self);
    self->request(e.handle, st.cfg.unhealthy, caf::ping_atom::value)
      .then(
        [=](caf::pong_atom, const std::string&,
            const std::vector<shard_epoch>& running) {
          auto i = self->state.coreapps.find(node);
          if (i == self->state.coreapps.end())
            return;
          i->second.last_seen = now(self);
          i->second.owned.clear();
          for (auto& [shard, epoch] : running)
            i->second.owned[shard] = epoch;
          stop_stale_shards(self, node, running);
          unown_abandoned(self, node, asked);
        },
        [](const caf::error&) {
          // Silence is judged by last_seen, not by one lost ping.
        });
  }
}

/// Gives every connected coreapp a fresh `unhealthy` from now: after a
/// time in which the supervisor could not hear pongs (its thread blocked,
/// or it was paused without the lease), silence is no evidence of death.
/// A crashed coreapp is still seen at once by its down message.
void excuse_silence(self_ptr self) {
  for (auto& [id, e] : self->state.coreapps)
    if (e.handle)
      e.last_seen = std::max(e.last_seen, now(self));
}

void round(self_ptr self) {
  auto& st = self->state;
  auto t = now(self);
  if (st.last_round && t - *st.last_round > 2 * st.cfg.heartbeat)
    excuse_silence(self);
  st.last_round = t;
  if (st.primary && !acting(self)) {
    // The connections stay (and their down messages keep coming): losing
    // the lease, to a database outage say, says nothing about the
    // coreapps, and a supervisor that forgot them would move every shard
    // when it takes over again before their heartbeats are fresh.
    log_info(st.cfg.node_id, "supervisor pauses: lease not valid");
    st.primary = false;
    st.webapps.clear(self);
    st.activating.clear();
    st.handing_off.clear();
    st.resharding = false;
  }
  if (!st.primary)
    return;
  // Silence is judged before the store is read: a read blocked on a cut
  // link hears no pongs meanwhile.
  forget_silent(self);
  guarded(self, "registry read", [&] {
    refresh_coreapps(self);
    st.webapps.refresh(self, db(self).webapps(st.cfg.unhealthy),
                       st.cfg.connect);
  });
  // Outside the database's guard: a coreapp's liveness is its pongs, and a
  // store that fails must not stop the pings (silence piling up while the
  // master cannot read the database would fail every shard over when it
  // can again).
  ping_coreapps(self);
  guarded(self, "supervision round", [&] {
    if (acting(self) && !st.resharding) {
      if (auto target = db(self).pending_reshard())
        begin_reshard(self, *target);
    }
    if (acting(self))
      place_shards(self);
  });
}

/// Starts (or resumes) supervising as the primary at master_epoch.
void take_over(self_ptr self) {
  auto& st = self->state;
  st.primary = true;
  log_info(st.cfg.node_id, "supervisor takes over, master epoch ",
           st.master_epoch);
  // Pongs were not asked for while paused.
  excuse_silence(self);
  round(self);
  // Webapps connected in this round learn the map at once; those still
  // connecting get it when they are connected.
  push_map(self);
}

} // namespace

caf::behavior supervisor(caf::stateful_actor<supervisor_state>* self,
                         supervisor_config cfg,
                         std::shared_ptr<lease_view> view) {
  self->state.cfg = std::move(cfg);
  self->state.view = std::move(view);
  self->set_down_handler([=](caf::down_msg& dm) {
    if (self->state.webapps.down(self, dm))
      return;
    for (auto& [id, e] : self->state.coreapps)
      if (e.handle && e.handle.address() == dm.source) {
        auto node = id;
        forget_coreapp(self, node, "connection lost");
        // Fail over now rather than at the next round.
        if (acting(self))
          guarded(self, "failover", [&] { place_shards(self); });
        return;
      }
  });
  self->send(self, caf::tick_atom::value);
  return {
    [=](lease_atom, bool primary, int64_t epoch) {
      auto& st = self->state;
      st.primary = primary;
      st.leased = primary;
      st.master_epoch = epoch;
      if (primary)
        take_over(self);
    },
    [=](caf::tick_atom) {
      auto& st = self->state;
      if (!st.primary && st.leased && st.view->valid()
          && st.view->epoch() == st.master_epoch)
        take_over(self);
      else
        round(self);
      self->delayed_send(self, self->state.cfg.heartbeat, caf::tick_atom::value);
    },
    [=](leaving_atom, const std::string& node) {
      return hand_off(self, node);
    },
    [=](stop_atom) { self->quit(); },
  };
}

} // namespace mc
