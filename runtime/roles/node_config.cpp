#include "runtime/roles/node_config.hpp"

#include <chrono>

#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>

#include "actors/protocol/register.hpp"
#include "runtime/roles/openssl_error_queue.hpp"
#include "runtime/roles/peer_name_check.hpp"

namespace mc {

node_config::node_config(const options& opts) {
  using std::chrono::milliseconds;
  load<caf::io::middleman>();
  if (opts.tls()) {
    // CAF 0.17.6's session (libcaf_openssl/src/openssl/session.cpp) then
    // builds every context, client and server alike, with this chain and
    // key, trusts only this CA, and sets SSL_VERIFY_PEER |
    // SSL_VERIFY_FAIL_IF_NO_PEER_CERT: both ends must present a valid
    // (unexpired) certificate of the cluster CA. Without these fields it
    // would fall back to anonymous AECDH ciphers that authenticate nobody.
    // CAF checks the chain only; the peers' names are checked by
    // peer_name_check (a node's CN must be its node id).
    load<caf::openssl::manager>();
    clear_openssl_errors_per_call();
    check_peer_names(opts.node_id);
    openssl_certificate = opts.tls_cert;
    openssl_key = opts.tls_key;
    openssl_cafile = opts.tls_ca;
  }
  set("middleman.heartbeat-interval",
      caf::timespan{milliseconds{opts.caf_heartbeat_ms}});
  set("middleman.connection-timeout",
      caf::timespan{milliseconds{opts.caf_timeout_ms}});
  // Work sharing parks idle workers on a condition variable. The default
  // work stealing polls, and a box running a dozen nodes on two cores
  // loses its CPU to idle polling.
  set("scheduler.policy", caf::atom("sharing"));
  // Deserialize incoming messages on the I/O thread itself: one thread
  // handoff less per message batch on a box with two cores.
  set("middleman.workers", size_t{0});
  if (opts.scheduler_threads > 0)
    set("scheduler.max-threads", static_cast<size_t>(opts.scheduler_threads));
  register_protocol(*this);
}

} // namespace mc
