#include <caf/all.hpp>
#include <pqxx/pqxx>

#include "actors/lifecycle.hpp"
#include "actors/master/lease_keeper.hpp"
#include "actors/master/retention_pruner.hpp"
#include "actors/master/supervisor.hpp"
#include "http/password_hash.hpp"
#include "runtime/log.hpp"
#include "runtime/roles/node_config.hpp"
#include "runtime/roles/node_runtime.hpp"
#include "runtime/store/migrations.hpp"
#include "runtime/store/user_store.hpp"

namespace mc {

namespace {

/// Creates the default admin (admin/secret, to be changed at first login)
/// when the cluster has no user yet.
void ensure_default_admin(pqxx::connection& c) {
  ensure_first_admin(c, "admin", http::hash_password("secret"));
}

} // namespace

int run_master(const options& opts) {
  {
    // Masters apply migrations under an advisory lock: when several start
    // together, one applies each file and the others find it done.
    pqxx::connection c{with_network_timeouts(opts.db_uri, 3)};
    auto n = apply_migrations(c, opts.schema_dir);
    if (n > 0)
      log_info(opts.node_id, "applied ", n, " schema migration(s), now at ",
               schema_version(c));
    ensure_default_admin(c);
  }
  node_config cfg{opts};
  caf::actor_system sys{cfg};
  auto view = std::make_shared<lease_view>();
  supervisor_config sc;
  sc.node_id = opts.node_id;
  sc.store = std::make_shared<pg_cluster_store>(opts.db_uri);
  sc.connect = middleman_connector(std::chrono::milliseconds{1000});
  {
    pqxx::connection c{with_network_timeouts(opts.db_uri, 3)};
    auto s = load_settings(c);
    sc.heartbeat = std::chrono::milliseconds{
      static_cast<int64_t>(s.heartbeat_interval * 1000)};
    sc.unhealthy = std::chrono::milliseconds{
      static_cast<int64_t>(s.unhealthy_interval * 1000)};
  }
  auto sup = sys.spawn<caf::detached>(supervisor, sc, view);
  lease_keeper_config lc{opts.node_id, opts.db_uri, opts.lease_ttl_ms,
                         opts.lease_renew_ms};
  auto keeper = sys.spawn<caf::detached>(lease_keeper, lc, view, sup);
  retention_pruner_config rc;
  rc.node_id = opts.node_id;
  rc.db_uri = opts.db_uri;
  rc.period = std::chrono::milliseconds{opts.prune_period_ms};
  rc.callback_expiry_s = opts.callback_expiry_s;
  rc.callback_dedup_s = opts.callback_dedup_s;
  rc.message_retention_s = opts.message_retention_s;
  auto pruner = sys.spawn<caf::detached>(retention_pruner, rc, view);
  db_pool db{opts.db_uri, 1};
  auto self = self_record(opts, 0, 0, node_state::secondary);
  db.with([&](pqxx::connection& c) {
    register_node(c, self);
    return 0;
  });
  log_info(opts.node_id, "master started");
  run_heartbeats(opts, db, self, [&] {
    return view->valid() ? node_state::primary : node_state::secondary;
  });
  caf::anon_send(pruner, stop_atom::value);
  caf::anon_send(keeper, stop_atom::value);
  caf::anon_send(sup, stop_atom::value);
  sys.await_all_actors_done();
  log_info(opts.node_id, "master stopped");
  return 0;
}

} // namespace mc
