#include "runtime/roles/node_config.hpp"

#include <chrono>

#include <caf/io/middleman.hpp>

#include "actors/protocol/register.hpp"

namespace mc {

node_config::node_config(const options& opts) {
  using std::chrono::milliseconds;
  load<caf::io::middleman>();
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
