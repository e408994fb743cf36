#pragma once

#include <cstdint>
#include <string>

#include <caf/actor.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>

namespace mc {

/// The one way a node offers an actor to its peers: CAF's OpenSSL
/// middleman when the node runs mutual TLS (the openssl module is loaded,
/// see runtime/roles/node_config), else the plain middleman. Returns the
/// bound port. Under TLS no plain port is opened at all, so a peer without
/// a certificate of the cluster CA has nothing to talk to.
caf::expected<uint16_t> publish_actor(caf::actor_system& sys,
                                      const caf::actor& whom, uint16_t port,
                                      const std::string& bind_host);

/// The middleman actor that connections to peers go through: the OpenSSL
/// one under mutual TLS, else the plain one.
caf::actor transport_actor(caf::actor_system& sys);

} // namespace mc
