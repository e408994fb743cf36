#include "actors/master/map_pusher.hpp"

#include <memory>
#include <set>

#include <caf/all.hpp>

#include "runtime/log.hpp"

namespace mc {

void map_pusher::refresh(caf::event_based_actor* self,
                         const std::vector<node_record>& webapps,
                         const remote_connector& connect) {
  std::set<std::string> seen;
  for (auto& n : webapps) {
    if (n.state == node_state::stopped || n.caf_port == 0)
      continue;
    seen.insert(n.node_id);
    auto& e = webapps_[n.node_id];
    if (e.host != n.host || e.port != n.caf_port) {
      // A restarted webapp registers a new address: start over with it.
      if (e.handle)
        self->demonitor(e.handle.address());
      e = webapp_entry{n.host, static_cast<uint16_t>(n.caf_port), {}, false};
    }
    if (!e.handle && !e.connecting && n.live)
      this->connect(self, n.node_id, connect);
  }
  for (auto i = webapps_.begin(); i != webapps_.end();) {
    if (seen.count(i->first) == 0) {
      if (i->second.handle)
        self->demonitor(i->second.handle.address());
      i = webapps_.erase(i);
    } else {
      ++i;
    }
  }
}

void map_pusher::connect(caf::event_based_actor* self, const std::string& id,
                         const remote_connector& connect) {
  auto& e = webapps_[id];
  e.connecting = true;
  auto host = e.host;
  auto port = e.port;
  connect(self, id, host, port, [=](caf::actor handle) {
    auto i = webapps_.find(id);
    if (i == webapps_.end() || i->second.host != host
        || i->second.port != port)
      return;
    i->second.connecting = false;
    if (!handle)
      return;
    i->second.handle = caf::actor_cast<route_listener_actor>(handle);
    self->monitor(handle);
    if (pushed_) {
      // It may have missed any number of pushes: give it the last one.
      self->request(i->second.handle, std::chrono::seconds{1},
                    caf::update_atom::value, last_)
        .then([](caf::ok_atom) {}, [](const caf::error&) {});
    }
  });
}

void map_pusher::push(caf::event_based_actor* self, map_update map,
                      int64_t master_epoch, std::chrono::milliseconds wait,
                      std::function<void()> done) {
  map.version.map_epoch = 0;
  for (auto& r : map.routes)
    map.version.map_epoch = std::max(map.version.map_epoch, r.epoch);
  map.version.master_epoch = master_epoch;
  map.version.seq = ++seq_;
  last_ = map;
  pushed_ = true;
  auto pending = std::make_shared<size_t>(0);
  auto one_done = [pending, done] {
    if (--*pending == 0 && done)
      done();
  };
  for (auto& [id, e] : webapps_) {
    if (!e.handle)
      continue;
    ++*pending;
    self->request(e.handle, wait, caf::update_atom::value, map)
      .then([=](caf::ok_atom) { one_done(); },
            [=](const caf::error&) { one_done(); });
  }
  if (*pending == 0 && done)
    done();
}

bool map_pusher::down(caf::event_based_actor*, const caf::down_msg& dm) {
  for (auto i = webapps_.begin(); i != webapps_.end(); ++i)
    if (i->second.handle && i->second.handle.address() == dm.source) {
      // Connect again at the next refresh if it is still registered.
      i->second.handle = nullptr;
      return true;
    }
  return false;
}

void map_pusher::clear(caf::event_based_actor* self) {
  for (auto& [id, e] : webapps_)
    if (e.handle)
      self->demonitor(e.handle.address());
  webapps_.clear();
  pushed_ = false;
}

} // namespace mc
