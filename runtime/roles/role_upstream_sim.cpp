#include <caf/all.hpp>
#include <caf/io/middleman.hpp>

#include "actors/node_transport.hpp"
#include "actors/sim/upstream_sim.hpp"
#include "http/sim_query_server.hpp"
#include "runtime/log.hpp"
#include "runtime/roles/node_config.hpp"
#include "runtime/roles/node_runtime.hpp"

namespace mc {

int run_upstream_sim(const options& opts) {
  if (!wait_for_schema(opts))
    return 0;
  node_config cfg{opts};
  caf::actor_system sys{cfg};
  sim_config sc;
  sc.session_rate = opts.sim_session_rate;
  sc.latency_ms = opts.sim_latency_ms;
  sc.delivered_ms = opts.sim_delivered_ms;
  sc.read_ms = opts.sim_read_ms;
  sc.inbound_rate = opts.sim_inbound_rate;
  sc.users = opts.sim_users;
  sc.directory = std::make_shared<sim_directory>();
  auto ledger = std::make_shared<sim_ledger>();
  sc.media = std::make_shared<sim_media>();
  auto sim = sys.spawn(upstream_sim, sc, ledger);
  // Published dynamically typed, like the coreapp node: a coreapp connects
  // with an untyped remote_actor and casts to upstream_actor.
  auto port = publish_actor(sys, caf::actor_cast<caf::actor>(sim),
                           opts.caf_port, opts.bind_host);
  if (!port) {
    log_error(opts.node_id, "cannot listen on ", opts.bind_host, ":",
              opts.caf_port, ": ", sys.render(port.error()));
    caf::anon_send_exit(sim, caf::exit_reason::user_shutdown);
    return 1;
  }
  sim_query_server query{ledger, make_sim_injector(sim),
                         make_sim_fault_notifier(sim)};
  query.set_directory(sc.directory);
  query.serve_media(sc.media);
  if (!query.start(opts.sim_query_bind, opts.http_port)) {
    log_error(opts.node_id, "cannot serve queries on ", opts.sim_query_bind, ":",
              opts.http_port);
    caf::anon_send_exit(sim, caf::exit_reason::user_shutdown);
    return 1;
  }
  db_pool db{opts.db_uri, 1};
  auto self = self_record(opts, *port, query.port(), node_state::serving);
  db.with([&](pqxx::connection& c) {
    register_node(c, self);
    return 0;
  });
  log_info(opts.node_id, "upstream simulator on ", opts.bind_host, ":", *port,
           ", queries on http://", opts.sim_query_bind, ":", query.port());
  run_heartbeats(opts, db, self, [] { return node_state::serving; });
  query.stop();
  caf::anon_send_exit(sim, caf::exit_reason::user_shutdown);
  sys.await_all_actors_done();
  log_info(opts.node_id, "upstream simulator stopped");
  return 0;
}

} // namespace mc
