#include "actors/remote_connector.hpp"

#include <set>

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>

#include "actors/node_transport.hpp"
#include "actors/peer_names.hpp"

namespace mc {

remote_connector middleman_connector(std::chrono::milliseconds timeout) {
  return [timeout](caf::event_based_actor* self, const std::string& node_id,
                   const std::string& host, uint16_t port,
                   std::function<void(caf::actor)> done) {
    auto mm = transport_actor(self->system());
    if (self->system().has_openssl_manager())
      peer_names::instance().expect(node_id, host, port);
    self->request(mm, timeout, caf::connect_atom::value, host, port)
      .then(
        [done](const caf::node_id&, caf::strong_actor_ptr& ptr,
               const std::set<std::string>&) {
          done(caf::actor_cast<caf::actor>(ptr));
        },
        [done](const caf::error&) { done(caf::actor{}); });
  };
}

} // namespace mc
