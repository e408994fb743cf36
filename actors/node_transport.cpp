#include "actors/node_transport.hpp"

#include <caf/actor_system.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/publish.hpp>

namespace mc {

caf::expected<uint16_t> publish_actor(caf::actor_system& sys,
                                      const caf::actor& whom, uint16_t port,
                                      const std::string& bind_host) {
  if (sys.has_openssl_manager())
    return caf::openssl::publish(whom, port, bind_host.c_str(), true);
  return sys.middleman().publish(whom, port, bind_host.c_str(), true);
}

caf::actor transport_actor(caf::actor_system& sys) {
  if (sys.has_openssl_manager())
    return caf::actor_cast<caf::actor>(sys.openssl_manager().actor_handle());
  return caf::actor_cast<caf::actor>(sys.middleman().actor_handle());
}

} // namespace mc
