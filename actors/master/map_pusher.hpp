#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/protocol/cluster.hpp"
#include "actors/remote_connector.hpp"
#include "runtime/store/node_registry.hpp"

namespace mc {

/// What the primary master knows of one webapp.
struct webapp_entry {
  std::string host;
  uint16_t port = 0;
  route_listener_actor handle;
  bool connecting = false;
};

/// The primary master's side of the map pushes: keeps a connection to the
/// route listener of every registered webapp and pushes each new map to
/// all of them (route_listener_actor in actors/protocol/cluster.hpp). A
/// webapp that connects gets the last map at once.
///
/// A plain object driven by its owner actor, which passes itself in.
class map_pusher {
public:
  /// Connects to webapps that registered (or moved), forgets those that
  /// left the registry; a webapp whose row is not live is not tried.
  void refresh(caf::event_based_actor* self,
               const std::vector<node_record>& webapps,
               const remote_connector& connect);

  /// Pushes `map` to every connected webapp, stamped with the next version
  /// of `master_epoch`; calls `done` once every webapp answered or `wait`
  /// passed (at once without webapps).
  void push(caf::event_based_actor* self, map_update map,
            int64_t master_epoch, std::chrono::milliseconds wait,
            std::function<void()> done = {});

  /// True if `dm` was about one of the webapps (then forgotten).
  bool down(caf::event_based_actor* self, const caf::down_msg& dm);

  /// Forgets every webapp (the master stepped down).
  void clear(caf::event_based_actor* self);

  /// The last map pushed.
  const map_update& last() const {
    return last_;
  }

private:
  void connect(caf::event_based_actor* self, const std::string& id,
               const remote_connector& connect);

  std::map<std::string, webapp_entry> webapps_;
  map_update last_;
  bool pushed_ = false;
  int64_t seq_ = 0;
};

} // namespace mc
