#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

namespace mc {

/// The one way our actors reach an actor published by another node: a
/// non-blocking call that resolves `host:port`, where node `node_id`
/// registered, to the published actor and calls `done` with it (an
/// invalid handle on failure) from within `self`'s context. Under mutual
/// TLS the peer's certificate must be issued to `node_id`
/// (actors/peer_names). Typed callers `actor_cast` the handle to the
/// interface of the protocol they speak (actors/protocol/).
///
/// Injectable, so that actors run on CAF's deterministic test scheduler
/// against fakes (see tests/actors/master/supervisor_test.cpp).
using remote_connector
  = std::function<void(caf::event_based_actor* self,
                       const std::string& node_id, const std::string& host,
                       uint16_t port, std::function<void(caf::actor)> done)>;

/// The connector of real clusters: an asynchronous request to CAF's
/// middleman actor (the OpenSSL one under mutual TLS, see node_transport)
/// with a timeout, because a frozen peer accepts the TCP connection but
/// never finishes the handshake.
remote_connector middleman_connector(std::chrono::milliseconds timeout);

} // namespace mc
