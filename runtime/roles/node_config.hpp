#pragma once

#include <caf/actor_system_config.hpp>

#include "runtime/options.hpp"

namespace mc {

/// The actor system configuration every node starts with: the middleman
/// module, heartbeats and a connection timeout on (otherwise a frozen peer
/// is never reported), the protocol's message types, and under mutual TLS
/// CAF's OpenSSL module with the node's certificate, key and cluster CA.
class node_config : public caf::actor_system_config {
public:
  explicit node_config(const options& opts);
};

} // namespace mc
