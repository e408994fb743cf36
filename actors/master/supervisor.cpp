#include "actors/master/supervisor.hpp"

#include <algorithm>

#include <caf/all.hpp>

#include "actors/master/lease_keeper.hpp"
#include "actors/protocol/protocol.hpp"
#include "runtime/log.hpp"

namespace mc {

supervisor_state::~supervisor_state() = default;

namespace {

// -- waits --------------------------------------------------------------------
// The rule: an outer wait exceeds every inner wait it covers, so that the
// supervisor never gives up on work that is still going on (and then acts
// as if it had not happened).

/// Wait for a node's answer to an activation: the node spawns the shard
/// and answers at once, the session logs in afterwards.
constexpr auto activate_wait = std::chrono::seconds{5};

/// Wait for a node's answer to a deactivation. The node drains the shard
/// for up to 5 s (its drain wait) before it answers, and the commit that
/// drain waits for may take 10 s; past the drain wait the node stops the
/// shard and answers anyway, and the reshard commit's row locks wait for a
/// commit still in flight. So this must exceed the 5 s drain wait.
constexpr auto deactivate_wait = std::chrono::seconds{6};

// The ping wait is the configured unhealthy time (supervisor_config): a
// pong later than that is no evidence of life anyway.

using self_ptr = caf::stateful_actor<supervisor_state>*;

cluster_store& db(self_ptr self) {
  return *self->state.cfg.store;
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

/// The actor clock: virtual time under the deterministic test scheduler.
caf::actor_clock::time_point now(self_ptr self) {
  return self->clock().now();
}

bool acting(self_ptr self) {
  return self->state.primary && self->state.view->valid()
         && self->state.view->epoch() == self->state.master_epoch;
}

void forget_coreapp(self_ptr self, const std::string& id, const char* why) {
  auto& st = self->state;
  auto i = st.coreapps.find(id);
  if (i == st.coreapps.end())
    return;
  if (i->second.handle) {
    self->demonitor(i->second.handle);
    log_info(st.cfg.node_id, "coreapp ", id, " is down (", why, ")");
  }
  st.coreapps.erase(i);
}

/// True when `id` may serve: connected and heard from recently.
bool live(self_ptr self, const std::string& id) {
  auto& st = self->state;
  auto i = st.coreapps.find(id);
  return i != st.coreapps.end() && i->second.handle
         && now(self) - i->second.last_seen < st.cfg.unhealthy;
}

/// True when `id` might still be serving: a new primary waits for it to
/// connect instead of moving its shards away at once.
bool maybe_live(self_ptr self, const std::string& id) {
  auto& st = self->state;
  auto i = st.coreapps.find(id);
  if (i == st.coreapps.end())
    return false;
  if (i->second.handle)
    return live(self, id);
  return i->second.connecting
         && i->second.db_heartbeat_age_ms < st.cfg.unhealthy.count();
}

void connect(self_ptr self, const std::string& id) {
  auto& e = self->state.coreapps[id];
  e.connecting = true;
  self->state.cfg.connect(self, e.host, e.caf_port, [=](caf::actor handle) {
    auto i = self->state.coreapps.find(id);
    if (i == self->state.coreapps.end())
      return;
    i->second.connecting = false;
    if (!handle)
      return;
    i->second.handle = handle;
    i->second.last_seen = now(self);
    i->second.connected_at = now(self);
    self->monitor(handle);
    log_info(self->state.cfg.node_id, "supervising coreapp ", id);
  });
}

void refresh_coreapps(self_ptr self) {
  auto& st = self->state;
  auto nodes = db(self).coreapps();
  std::set<std::string> seen;
  for (auto& n : nodes) {
    if (n.state == "stopped")
      continue;
    seen.insert(n.node_id);
    auto& e = st.coreapps[n.node_id];
    e.db_heartbeat_age_ms = n.heartbeat_age_ms;
    if (e.host != n.host || e.caf_port != n.caf_port) {
      // A restarted coreapp registers a new address: start over with it.
      if (e.handle)
        self->demonitor(e.handle);
      e = coreapp_entry{};
      e.host = n.host;
      e.caf_port = static_cast<uint16_t>(n.caf_port);
      e.db_heartbeat_age_ms = n.heartbeat_age_ms;
    }
    if (!e.handle && !e.connecting
        && n.heartbeat_age_ms < st.cfg.unhealthy.count())
      connect(self, n.node_id);
  }
  for (auto i = st.coreapps.begin(); i != st.coreapps.end();) {
    auto id = i->first;
    ++i;
    if (seen.count(id) == 0)
      forget_coreapp(self, id, "left the registry");
  }
}

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
          for (auto& [shard, epoch] : running) {
            i->second.owned[shard] = epoch;
            // A shard this node runs at an epoch the map moved past (it
            // was frozen or cut off meanwhile): stop it. The node keeps a
            // newer activation of the same shard alive.
            auto& slots = self->state.table.slots;
            auto s = static_cast<size_t>(shard);
            bool current = s < slots.size() && slots[s].owner == node
                           && slots[s].epoch == epoch;
            if (!current && !self->state.activating.count(shard)
                && !self->state.resharding) {
              log_info(self->state.cfg.node_id, "stopping stale shard ",
                       shard, " epoch ", epoch, " on ", node);
              // A request, not a send: the node's answer must come back as
              // a response, or it lands here as an unexpected message.
              self->request(i->second.handle, deactivate_wait,
                            deactivate_atom::value, shard, epoch)
                .then([](caf::ok_atom) {}, [](const caf::error&) {});
            }
          }
          // A shard the map gives this node that the node no longer runs
          // (it fenced itself, e.g. its session was taken over): unown it
          // so the next round places it again. Only pings sent after the
          // activation completed count, so an activation in flight is safe.
          auto& st2 = self->state;
          if (st2.resharding || !acting(self))
            return;
          for (auto& slot : st2.table.slots) {
            if (slot.owner != node || i->second.owned.count(slot.shard_id)
                || st2.activating.count(slot.shard_id))
              continue;
            // Without an activation of ours (a new primary), the first
            // ping after connecting is the evidence.
            auto done = st2.activated_at.find(slot.shard_id);
            auto since = done != st2.activated_at.end()
                           ? done->second
                           : i->second.connected_at;
            if (since >= asked)
              continue;
            log_info(st2.cfg.node_id, "shard ", slot.shard_id, " is no longer "
                     "served by ", node, "; placing it again");
            guarded(self, "unowning", [&] {
              if (auto e = db(self).cas_owner(slot.shard_id, slot.epoch, "",
                                              st2.cfg.node_id,
                                              st2.master_epoch)) {
                slot.owner.clear();
                slot.epoch = *e;
              }
            });
          }
        },
        [](const caf::error&) {
          // Silence is judged by last_seen, not by one lost ping.
        });
  }
  std::vector<std::string> dead;
  for (auto& [id, e] : st.coreapps)
    if (e.handle && now(self) - e.last_seen > st.cfg.unhealthy)
      dead.push_back(id);
  for (auto& id : dead)
    forget_coreapp(self, id, "heartbeat timeout");
}

/// Picks the live coreapp owning the fewest shards (ties: by id).
std::string pick_standby(self_ptr self) {
  auto& st = self->state;
  std::map<std::string, int> load;
  for (auto& [id, e] : st.coreapps)
    if (live(self, id))
      load[id] = 0;
  for (auto& slot : st.table.slots)
    if (load.count(slot.owner))
      load[slot.owner]++;
  std::string best;
  int best_load = 1 << 30;
  for (auto& [id, n] : load)
    if (n < best_load) {
      best = id;
      best_load = n;
    }
  return best;
}

void activate(self_ptr self, int32_t shard, const std::string& owner,
              int64_t epoch) {
  auto& st = self->state;
  st.activating.insert(shard);
  auto started = now(self);
  self->request(st.coreapps[owner].handle, activate_wait,
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
      });
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
  for (auto& slot : st.table.slots) {
    if (st.activating.count(slot.shard_id))
      continue;
    if (!slot.owner.empty() && maybe_live(self, slot.owner))
      continue;
    auto target = pick_standby(self);
    if (target.empty()) {
      if (!slot.owner.empty()) {
        // Record that nobody serves it, so the API says so.
        db(self).cas_owner(slot.shard_id, slot.epoch, "", st.cfg.node_id,
                           st.master_epoch);
        log_error(st.cfg.node_id, "shard ", slot.shard_id,
                  " has no live coreapp to move to");
      }
      continue;
    }
    auto epoch = db(self).cas_owner(slot.shard_id, slot.epoch, target,
                                    st.cfg.node_id, st.master_epoch);
    if (!epoch) {
      log_error(st.cfg.node_id, "shard ", slot.shard_id,
                " changed under us; re-reading the map");
      st.table = db(self).load_table();
      return;
    }
    log_info(st.cfg.node_id, "moving shard ", slot.shard_id, " from '",
             slot.owner, "' to ", target, " epoch ", *epoch);
    slot.owner = target;
    slot.epoch = *epoch;
    activate(self, slot.shard_id, target, *epoch);
  }
}

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
  if (!done)
    return; // the next round starts over: draining again is harmless
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
              now(self) - st.reshard_started).count();
  log_info(st.cfg.node_id, "shard count is now ", shards, " (drain and commit ",
           ms, " ms); placing shards");
  guarded(self, "placing shards", [&] { place_shards(self); });
}

/// Starts a coordinated restart-all: every owned shard drains and stops,
/// then one transaction writes the new count, map and re-homed work.
void begin_reshard(self_ptr self, int32_t shards) {
  auto& st = self->state;
  st.resharding = true;
  st.reshard_started = now(self);
  st.table = db(self).load_table();
  log_info(st.cfg.node_id, "changing the shard count from ", st.table.shards,
           " to ", shards, ": draining every shard");
  auto pending = std::make_shared<int>(0);
  auto master_epoch = st.master_epoch;
  auto one_done = [=] {
    if (--*pending == 0 && self->state.master_epoch == master_epoch)
      finish_reshard(self, shards);
  };
  for (auto& slot : st.table.slots) {
    auto i = st.coreapps.find(slot.owner);
    if (slot.owner.empty() || i == st.coreapps.end() || !i->second.handle)
      continue; // nobody serves it; the commit fences any straggler
    ++*pending;
    self->request(i->second.handle, deactivate_wait,
                  deactivate_atom::value, slot.shard_id, slot.epoch)
      .then([=](caf::ok_atom) { one_done(); },
            [=](const caf::error&) { one_done(); });
  }
  if (*pending == 0)
    finish_reshard(self, shards);
}

void round(self_ptr self) {
  auto& st = self->state;
  if (st.primary && !acting(self)) {
    log_info(st.cfg.node_id, "supervisor pauses: lease not valid");
    st.primary = false;
    for (auto& [id, e] : st.coreapps)
      if (e.handle)
        self->demonitor(e.handle);
    st.coreapps.clear();
    st.activating.clear();
    st.resharding = false;
  }
  if (!st.primary)
    return;
  guarded(self, "supervision round", [&] {
    refresh_coreapps(self);
    ping_coreapps(self);
    if (acting(self) && !st.resharding) {
      if (auto target = db(self).pending_reshard())
        begin_reshard(self, *target);
    }
    if (acting(self))
      place_shards(self);
  });
}

} // namespace

caf::behavior supervisor(caf::stateful_actor<supervisor_state>* self,
                         supervisor_config cfg,
                         std::shared_ptr<lease_view> view) {
  self->state.cfg = std::move(cfg);
  self->state.view = std::move(view);
  self->set_down_handler([=](caf::down_msg& dm) {
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
  self->send(self, tick_atom::value);
  return {
    [=](lease_atom, bool primary, int64_t epoch) {
      auto& st = self->state;
      st.primary = primary;
      st.master_epoch = epoch;
      if (primary) {
        log_info(st.cfg.node_id, "supervisor takes over, master epoch ", epoch);
        round(self);
      }
    },
    [=](tick_atom) {
      round(self);
      self->delayed_send(self, self->state.cfg.heartbeat, tick_atom::value);
    },
    [=](stop_atom) { self->quit(); },
  };
}

} // namespace mc
