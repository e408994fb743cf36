#include "actors/webapp/route_listener.hpp"

#include <algorithm>
#include <set>

#include <caf/all.hpp>

#include "actors/lifecycle.hpp"
#include "runtime/log.hpp"

namespace mc {

namespace {

using self_ptr = route_listener_local::stateful_pointer<route_listener_state>;

/// Reads asked for by the routing table closer together than this are
/// answered by the read before.
constexpr auto min_read_gap = std::chrono::milliseconds{5};

void apply(self_ptr self);

void connect(self_ptr self, const std::string& owner) {
  auto& p = self->state.peers[owner];
  p.connecting = true;
  self->send(self->state.connector, caf::connect_atom::value, owner, p.host,
             p.port);
}

/// A connection attempt finished.
void connected(self_ptr self, const std::string& owner,
               const std::string& host, uint16_t port, caf::actor handle) {
  auto i = self->state.peers.find(owner);
  if (i == self->state.peers.end() || i->second.host != host
      || i->second.port != port)
    return; // the owner moved meanwhile; its new address is being tried
  i->second.connecting = false;
  if (!handle)
    return; // the next map or refresh tries again
  i->second.handle = handle;
  self->monitor(handle);
  apply(self);
}

/// Fills the routing table from the current map, then connects to owners
/// that have no connection yet (their routes stay empty until it is up;
/// each finished connection fills the table again).
void apply(self_ptr self) {
  auto& st = self->state;
  std::vector<shard_route> routes;
  std::set<std::string> unconnected;
  routes.reserve(st.current.routes.size());
  for (auto& r : st.current.routes) {
    shard_route out{r.shard, r.epoch, r.owner, {}};
    if (!r.owner.empty()) {
      auto& p = st.peers[r.owner];
      if (p.host != r.host || p.port != r.port) {
        // A restarted owner registers a new address: start over with it.
        if (p.handle)
          self->demonitor(p.handle);
        p = route_peer{r.host, r.port, {}, false};
      }
      if (p.handle)
        out.node = p.handle;
      else if (!p.connecting)
        unconnected.insert(r.owner);
    }
    routes.push_back(std::move(out));
  }
  std::set<int32_t> held(st.current.held.begin(), st.current.held.end());
  // The table's deadline is on the HTTP threads' clock; the actor clock is
  // virtual under the deterministic test scheduler.
  auto left = st.hold_until - self->clock().now();
  st.cfg.table->install(st.current.shards, std::move(routes), std::move(held),
                        std::chrono::steady_clock::now() + left);
  for (auto& owner : unconnected)
    connect(self, owner);
}

/// Takes `map` unless the current map is newer.
void accept(self_ptr self, map_update map, const char* how) {
  auto& st = self->state;
  if (st.have_map && map.version < st.current.version)
    return;
  for (auto& r : map.routes) {
    auto s = static_cast<size_t>(r.shard);
    bool same = s < st.current.routes.size()
                && st.current.routes[s].owner == r.owner
                && st.current.routes[s].epoch == r.epoch;
    if (!same && !r.owner.empty())
      log_info(st.cfg.node_id, "shard ", r.shard, " of ", map.shards, " -> ",
               r.owner, " epoch ", r.epoch, " (", how, ")");
  }
  // A hold that goes on through several pushes (drain, then activation)
  // keeps the deadline of its first push: it never outlasts it.
  auto now = self->clock().now();
  auto fresh = now + std::chrono::milliseconds{map.hold_ms};
  bool holding = !st.current.held.empty() && now < st.hold_until;
  st.hold_until = holding ? std::min(st.hold_until, fresh) : fresh;
  st.have_map = true;
  st.current = std::move(map);
  if (!st.current.held.empty())
    self->delayed_send(self, st.hold_until - now, hold_end_atom::value,
                       st.current.version);
  apply(self);
}

void poll(self_ptr self) {
  auto& st = self->state;
  if (!st.cfg.load)
    return;
  st.last_read = std::chrono::steady_clock::now();
  try {
    accept(self, polled_map(st.cfg.load()), "read");
  } catch (const std::exception& e) {
    log_error(st.cfg.node_id, "reading the shard map failed: ", e.what());
  }
}

void forget_connection(self_ptr self, const std::string& owner) {
  auto i = self->state.peers.find(owner);
  if (i == self->state.peers.end() || !i->second.handle)
    return;
  self->demonitor(i->second.handle);
  i->second.handle = nullptr;
}

} // namespace

map_update polled_map(const shard_table& table) {
  map_update out;
  out.shards = table.shards;
  for (auto& slot : table.slots) {
    out.routes.push_back({slot.shard_id, slot.epoch, slot.owner, slot.host,
                          static_cast<uint16_t>(slot.caf_port)});
    out.version.map_epoch = std::max(out.version.map_epoch, slot.epoch);
  }
  return out;
}

caf::behavior route_connector(caf::event_based_actor* self,
                              remote_connector connect,
                              route_listener_local listener) {
  return {
    [=](caf::connect_atom, const std::string& owner, const std::string& host,
        uint16_t port) {
      connect(self, owner, host, port, [=](caf::actor handle) {
        self->send(listener, connected_atom::value, owner, host, port,
                   std::move(handle));
      });
    },
  };
}

route_listener_local::behavior_type
route_listener(route_listener_local::stateful_pointer<route_listener_state> self,
               route_listener_config cfg) {
  self->state.cfg = std::move(cfg);
  // The table's requests are local and untyped on its side: it cannot
  // name this actor's type without a header cycle.
  self->state.cfg.table->set_filler(caf::actor_cast<caf::actor>(self));
  self->state.connector = caf::actor_cast<route_connector_actor>(
    self->spawn<caf::linked>(route_connector, self->state.cfg.connect,
                             caf::actor_cast<route_listener_local>(self)));
  self->set_down_handler([=](caf::down_msg& dm) {
    for (auto& [id, p] : self->state.peers)
      if (p.handle && p.handle.address() == dm.source) {
        p.handle = nullptr;
        apply(self); // connects again if the map still names it
        return;
      }
  });
  self->send(self, caf::tick_atom::value);
  return {
    [=](caf::update_atom, map_update& map) {
      accept(self, std::move(map), "pushed");
      return caf::ok_atom::value;
    },
    [=](hold_end_atom, const map_version& version) {
      auto& st = self->state;
      if (!(st.current.version == version) || st.current.held.empty())
        return;
      // No push released the hold in time (the master died mid-change):
      // route by the map as it is, and let the database say what it is.
      log_error(st.cfg.node_id, "hold of ", st.current.held.size(),
                " shard(s) reached its deadline; reading the map");
      st.current.held.clear();
      st.current.version.master_epoch = 0;
      st.current.version.seq = 0;
      apply(self);
      poll(self);
    },
    [=](refresh_atom) {
      if (std::chrono::steady_clock::now() - self->state.last_read
          >= min_read_gap)
        poll(self);
    },
    [=](drop_atom, const std::string& owner) {
      forget_connection(self, owner);
      apply(self);
    },
    [=](connected_atom, const std::string& owner, const std::string& host,
        uint16_t port, caf::actor& handle) {
      connected(self, owner, host, port, std::move(handle));
    },
    [=](caf::tick_atom) {
      poll(self);
      self->delayed_send(self, self->state.cfg.poll_interval,
                         caf::tick_atom::value);
    },
    [=](stop_atom) { self->quit(); },
  };
}

} // namespace mc
