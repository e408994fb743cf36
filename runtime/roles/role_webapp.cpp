#include <fstream>
#include <thread>

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>
#include <pqxx/pqxx>

#include "actors/node_transport.hpp"
#include "actors/lifecycle.hpp"
#include "actors/webapp/route_listener.hpp"
#include "actors/webapp/routing_table.hpp"
#include "actors/webapp/send_gateway.hpp"
#include "http/webapp_server.hpp"
#include "runtime/log.hpp"
#include "runtime/roles/node_config.hpp"
#include "runtime/roles/node_runtime.hpp"
#include "runtime/store/cluster_config.hpp"
#include "runtime/store/shard_map_store.hpp"
#include "runtime/store/user_store.hpp"

namespace mc {

namespace {

/// How long a stopping webapp keeps serving with /healthz at 503: five
/// health checks of the front (deploy/front-config: inter 200ms, fall 1).
constexpr std::chrono::milliseconds webapp_drain_period{1000};

/// A secret kept in a file (one line; a trailing newline is not part of
/// it), or empty when the file cannot be read.
std::string read_secret_file(const std::string& path) {
  std::ifstream in{path};
  std::string line;
  if (!in || !std::getline(in, line))
    return {};
  while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
    line.pop_back();
  return line;
}

void load_revoked(http::webapp_context& ctx) {
  auto ids = ctx.db->with(
    [](pqxx::connection& c) { return load_revoked_tokens(c); });
  std::lock_guard<std::mutex> guard{ctx.revoked_mtx};
  ctx.revoked = std::move(ids);
}

/// Reads the token secrets and the API key; a rotation
/// (deploy/rotate-secrets) is in force here from the first read after it.
void load_keys(http::webapp_context& ctx) {
  auto secrets = ctx.db->with(
    [](pqxx::connection& c) { return load_secrets(c); });
  if (ctx.keys->set(secrets))
    log_info(ctx.node_id, "secrets loaded; the previous token secret ",
             secrets.previous_token_secret.empty()
               ? std::string{"is refused"}
               : "verifies for " + std::to_string(secrets.previous_valid_ms)
                   + " ms more");
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
  ctx.routes = std::make_shared<routing_table>();
  ctx.settings = std::make_shared<settings_cache>();
  ctx.callback_queue_cap = opts.callback_queue_cap;
  load_keys(ctx);
  ctx.trusted_proxies = opts.trusted_proxies;
  ctx.db->with([&](pqxx::connection& c) {
    ctx.settings->set(load_settings(c));
    return 0;
  });
  load_revoked(ctx);
  if (opts.upstream == "cloud") {
    auto secret = read_secret_file(opts.cloud_app_secret_file);
    if (secret.empty()) {
      log_error(opts.node_id, "cannot read the app secret from ",
                opts.cloud_app_secret_file);
      return 1;
    }
    ctx.cloud = std::make_shared<http::cloud_webhook_intake>(
      std::move(secret), opts.cloud_verify_token, ctx.db);
    log_info(opts.node_id, "taking Cloud API webhooks at /v1/cloud/webhook");
  }
  for (int i = 0; i < 2; ++i)
    ctx.gateways.push_back(sys.spawn(lingering_send_gateway, opts.gateway_linger_us));
  // The primary master pushes the shard map to the route listener; it
  // reads the database itself only at start, on a routing error and every
  // --map-poll-ms as a fallback.
  route_listener_config rc;
  rc.node_id = opts.node_id;
  rc.table = ctx.routes;
  rc.connect = middleman_connector(std::chrono::milliseconds{1000});
  rc.load = [db = ctx.db] {
    return db->with([](pqxx::connection& c) { return load_shard_table(c); });
  };
  rc.poll_interval = std::chrono::milliseconds{opts.map_poll_ms};
  auto listener = sys.spawn<caf::detached>(route_listener, rc);
  auto caf_port = publish_actor(sys, caf::actor_cast<caf::actor>(listener),
                                opts.caf_port, opts.bind_host);
  if (!caf_port) {
    log_error(opts.node_id, "cannot listen on ", opts.bind_host, ":",
              opts.caf_port, ": ", sys.render(caf_port.error()));
    caf::anon_send(listener, stop_atom::value);
    return 1;
  }
  http::webapp_server server{ctx};
  int port = server.bind(opts.bind_host, opts.http_port, opts.http_threads);
  if (port == 0) {
    log_error(opts.node_id, "cannot listen on ", opts.bind_host, ":",
              opts.http_port);
    caf::anon_send(listener, stop_atom::value);
    return 1;
  }
  std::thread http_thread{[&] { server.run(); }};
  auto self = self_record(opts, *caf_port, port, node_state::serving);
  ctx.db->with([&](pqxx::connection& c) {
    register_node(c, self);
    return 0;
  });
  log_info(opts.node_id, "webapp serving http://", opts.bind_host, ":", port,
           ", map pushes on CAF port ", *caf_port);
  int round = 0;
  run_heartbeats(opts, *ctx.db, self,
                 [] { return node_state::serving; },
                 ctx.settings, [&] {
                   // Every 4 heartbeats (1 s by default): logouts of other
                   // webapps and rotated secrets.
                   if (++round % 4 == 0) {
                     try {
                       load_revoked(ctx);
                       load_keys(ctx);
                     } catch (const std::exception& e) {
                       log_error(opts.node_id, "revoked tokens, secrets: ",
                                 e.what());
                     }
                   }
                 });
  // Drain: the front checks /healthz every 200 ms and takes a webapp out
  // at its first 503, so after the drain period no new request comes here;
  // requests in flight finish before stop() returns.
  ctx.draining.store(true);
  std::this_thread::sleep_for(webapp_drain_period);
  // httplib ignores a stop before its loop runs; it runs by now.
  server.stop();
  http_thread.join();
  caf::anon_send(listener, stop_atom::value);
  for (auto& g : ctx.gateways)
    caf::anon_send_exit(g, caf::exit_reason::user_shutdown);
  log_info(opts.node_id, "webapp stopped");
  return 0;
}

} // namespace mc
