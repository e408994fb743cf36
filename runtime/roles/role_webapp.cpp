#include <thread>

#include <caf/all.hpp>
#include <pqxx/pqxx>

#include "actors/webapp/routing_table.hpp"
#include "actors/webapp/send_gateway.hpp"
#include "http/webapp_server.hpp"
#include "runtime/log.hpp"
#include "runtime/roles/node_config.hpp"
#include "runtime/roles/node_runtime.hpp"
#include "runtime/store/cluster_config.hpp"
#include "runtime/store/user_store.hpp"

namespace mc {

namespace {

/// How often a webapp re-reads the shard map when nothing told it to.
constexpr int map_refresh_ms = 100;

void load_revoked(http::webapp_context& ctx) {
  auto ids = ctx.db->with(
    [](pqxx::connection& c) { return load_revoked_tokens(c); });
  std::lock_guard<std::mutex> guard{ctx.revoked_mtx};
  ctx.revoked = std::move(ids);
}

} // namespace

int run_webapp(const options& opts) {
  if (!wait_for_schema(opts))
    return 0;
  node_config cfg{opts};
  caf::actor_system sys{cfg};
  http::webapp_context ctx;
  ctx.sys = &sys;
  ctx.node_id = opts.node_id;
  ctx.db = std::make_shared<db_pool>(opts.db_uri, opts.db_pool_size);
  ctx.routes = std::make_shared<routing_table>(sys, ctx.db);
  ctx.settings = std::make_shared<settings_cache>();
  auto secrets = ctx.db->with(
    [](pqxx::connection& c) { return load_secrets(c); });
  ctx.token_secret = std::move(secrets.token_secret);
  ctx.api_key = std::move(secrets.api_key);
  ctx.db->with([&](pqxx::connection& c) {
    ctx.settings->set(load_settings(c));
    return 0;
  });
  load_revoked(ctx);
  for (int i = 0; i < 2; ++i)
    ctx.gateways.push_back(sys.spawn(lingering_send_gateway, opts.gateway_linger_us));
  ctx.routes->refresh();
  http::webapp_server server{ctx};
  int port = server.bind(opts.bind_host, opts.http_port, opts.http_threads);
  if (port == 0) {
    log_error(opts.node_id, "cannot listen on ", opts.bind_host, ":",
              opts.http_port);
    return 1;
  }
  std::thread http_thread{[&] { server.run(); }};
  std::thread map_thread{[&] {
    while (!stop_requested().load()) {
      ctx.routes->refresh();
      sleep_unless_stopped(map_refresh_ms);
    }
  }};
  auto self = self_record(opts, 0, port, to_string(node_state::serving));
  ctx.db->with([&](pqxx::connection& c) {
    register_node(c, self);
    return 0;
  });
  log_info(opts.node_id, "webapp serving http://", opts.bind_host, ":", port);
  int round = 0;
  run_heartbeats(opts, *ctx.db, self,
                 [] { return std::string{to_string(node_state::serving)}; },
                 ctx.settings, [&] {
                   if (++round % 4 == 0) {
                     try {
                       load_revoked(ctx);
                     } catch (const std::exception& e) {
                       log_error(opts.node_id, "revoked tokens: ", e.what());
                     }
                   }
                 });
  // httplib ignores a stop before its loop runs; it runs by now.
  server.stop();
  http_thread.join();
  map_thread.join();
  for (auto& g : ctx.gateways)
    caf::anon_send_exit(g, caf::exit_reason::user_shutdown);
  log_info(opts.node_id, "webapp stopped");
  return 0;
}

} // namespace mc
