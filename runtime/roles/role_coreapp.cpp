#include <future>
#include <memory>

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>
#include <pqxx/pqxx>

#include "actors/cloud/cloud_upstream.hpp"
#include "actors/node_transport.hpp"
#include "actors/coreapp/coreapp_node.hpp"
#include "actors/coreapp/db_writer.hpp"
#include "actors/coreapp/media_relay.hpp"
#include "actors/coreapp/webhook_dispatcher.hpp"
#include "actors/lifecycle.hpp"
#include "actors/protocol/timeouts.hpp"
#include "actors/remote_connector.hpp"
#include "runtime/log.hpp"
#include "runtime/roles/node_config.hpp"
#include "runtime/roles/node_runtime.hpp"
#include "runtime/store/retention_store.hpp"
#include "runtime/store/shard_map_store.hpp"

namespace mc {

namespace {

/// How long one connection attempt to a registered upstream may take: a
/// frozen upstream accepts TCP but never finishes the handshake, and this
/// runs on the heartbeat thread, which must keep beating.
constexpr auto upstream_connect_timeout = std::chrono::milliseconds{1000};

/// Resolves `host:port`, where node `node_id` registered, through the one
/// remote connector (the middleman actor, with a timeout) from a
/// short-lived actor, and waits for it: the role's thread is no actor, but
/// the way to reach the peer stays the same.
caf::actor connect_once(caf::actor_system& sys, const std::string& node_id,
                        const std::string& host, uint16_t port) {
  auto found = std::make_shared<std::promise<caf::actor>>();
  auto result = found->get_future();
  auto connect = middleman_connector(upstream_connect_timeout);
  sys.spawn([=](caf::event_based_actor* self) {
    connect(self, node_id, host, port, [=](caf::actor handle) {
      found->set_value(std::move(handle));
      self->quit();
    });
  });
  // The connector answers within its timeout; the margin covers scheduling.
  if (result.wait_for(2 * upstream_connect_timeout)
      != std::future_status::ready)
    return {};
  return result.get();
}

/// Finds the upstream in the registry and connects to it; retries until
/// it is there or the node is asked to stop.
caf::actor connect_upstream(caf::actor_system& sys, const options& opts,
                            db_pool& db) {
  bool said = false;
  while (!stop_requested().load()) {
    auto sims = db.with([](pqxx::connection& c) {
      return list_nodes(c, role::upstream_sim);
    });
    for (auto& n : sims) {
      if (n.state == node_state::stopped)
        continue;
      auto h = connect_once(sys, n.node_id, n.host,
                            static_cast<uint16_t>(n.caf_port));
      if (h) {
        log_info(opts.node_id, "connected to upstream ", n.node_id, " at ",
                 n.host, ":", n.caf_port);
        return h;
      }
    }
    if (!said) {
      log_info(opts.node_id, "waiting for an upstream to register");
      said = true;
    }
    sleep_unless_stopped(200);
  }
  return {};
}

/// The node's Cloud API driver (--upstream cloud).
cloud_upstream_actor spawn_cloud(caf::actor_system& sys, const options& opts) {
  cloud_settings cs;
  cs.node_id = opts.node_id;
  cs.url = opts.cloud_url;
  cs.api_version = opts.cloud_api_version;
  cs.phone_number_id = opts.cloud_phone_number_id;
  cs.token_file = opts.cloud_token_file;
  cs.ca_file = opts.cloud_ca_file;
  cs.mps = opts.cloud_mps;
  cs.connections = opts.cloud_connections;
  auto ctx = std::make_shared<cloud_context>(cs, opts.db_uri);
  log_info(opts.node_id, "relaying to the Cloud API at ", cs.url, "/",
           cs.api_version, " for phone number id ", cs.phone_number_id,
           ", ", cs.mps, " msg/s for the cluster");
  return sys.spawn<caf::detached>(cloud_upstream, ctx);
}

} // namespace

int run_coreapp(const options& opts) {
  if (!wait_for_schema(opts))
    return 0;
  node_config cfg{opts};
  caf::actor_system sys{cfg};
  db_pool db{opts.db_uri, 1};
  bool cloud = opts.upstream == "cloud";
  // The Cloud API driver lives in this process; the simulator is a peer.
  auto upstream = cloud ? caf::actor_cast<caf::actor>(spawn_cloud(sys, opts))
                        : connect_upstream(sys, opts, db);
  if (!upstream)
    return 0;
  coreapp_config cc;
  cc.node_id = opts.node_id;
  cc.cloud = cloud;
  cc.upstream = caf::actor_cast<upstream_actor>(upstream);
  cc.settings = std::make_shared<settings_cache>();
  cc.upstream_lost = std::make_shared<std::atomic<bool>>(false);
  db.with([&](pqxx::connection& c) {
    cc.settings->set_account(load_account(c));
    cc.settings->set(load_settings(c));
    return 0;
  });
  // One connection for heartbeats, the rest for the writers.
  for (int i = 0; i < std::max(1, opts.db_pool_size - 1); ++i)
    cc.writers.push_back(sys.spawn<caf::detached>(db_writer, opts.db_uri));
  cc.media = sys.spawn<caf::detached>(media_relay, opts.db_uri);
  auto node = sys.spawn(coreapp_node, cc);
  webhook_dispatcher_config wc;
  wc.node_id = opts.node_id;
  wc.db_uri = opts.db_uri;
  wc.node = caf::actor_cast<caf::actor>(node);
  wc.settings = cc.settings;
  wc.stats = cc.stats;
  auto dispatcher = sys.spawn<caf::detached>(webhook_dispatcher, wc);
  // Published dynamically typed: peers connect with an untyped
  // remote_actor and cast to the interface they speak (cluster_node_actor,
  // send_actor); CAF's connect-time interface match would need every type
  // of the signatures registered by name on both ends.
  auto port = publish_actor(sys, caf::actor_cast<caf::actor>(node),
                           opts.caf_port, opts.bind_host);
  if (!port) {
    log_error(opts.node_id, "cannot listen on ", opts.bind_host, ":",
              opts.caf_port, ": ", sys.render(port.error()));
    caf::anon_send_exit(node, caf::exit_reason::user_shutdown);
    caf::anon_send(dispatcher, stop_atom::value);
    for (auto& w : cc.writers)
      caf::anon_send(w, stop_atom::value);
    caf::anon_send(cc.media, stop_atom::value);
    return 1;
  }
  auto self = self_record(opts, *port, 0, node_state::standby);
  db.with([&](pqxx::connection& c) {
    register_node(c, self);
    return 0;
  });
  log_info(opts.node_id, "coreapp listening on ", opts.bind_host, ":", *port,
           " as a standby");
  auto state = [&] {
    caf::scoped_actor s{sys};
    auto result = node_state::standby;
    s->request(node, std::chrono::milliseconds{500}, status_atom::value)
      .receive(
        [&](const std::vector<int32_t>& shards) {
          if (!shards.empty())
            result = node_state::active;
        },
        [&](const caf::error&) { result = node_state::busy; });
    return result;
  };
  // Reconnects to the upstream after a lost connection (e.g. this node was
  // frozen past the middleman's timeout), off the actors' threads.
  // The callback queue's cap, checked about once a second on this thread.
  int rounds = 0;
  int check_every = std::max(1, 1000 / opts.node_heartbeat_ms);
  auto check_queue = [&] {
    if (rounds++ % check_every != 0)
      return;
    try {
      auto cap = static_cast<int64_t>(opts.callback_queue_cap);
      auto depth = db.with([&](pqxx::connection& c) {
        return callback_queue_depth(c, cap);
      });
      auto was = cc.settings->callback_queue_full();
      cc.settings->set_callback_queue(depth, depth >= cap);
      if (was != (depth >= cap))
        log_info(opts.node_id, depth >= cap ? "callback queue full (" : "callback queue below its cap (",
                 depth, " of ", cap, ")");
    } catch (const std::exception& e) {
      log_error(opts.node_id, "callback queue count failed: ", e.what());
    }
  };
  auto reconnect = [&] {
    check_queue();
    if (cloud || !cc.upstream_lost->exchange(false))
      return;
    auto fresh = connect_upstream(sys, opts, db);
    if (fresh)
      caf::anon_send(node, upstream_atom::value,
                     caf::actor_cast<upstream_actor>(fresh));
  };
  // A planned stop (SIGTERM): a handoff, not a crash. The supervisor moves
  // the shards now, each finishes its commit in flight and persists what
  // its session still receives until the next owner takes the session over.
  auto hand_off = [&] {
    auto started = std::chrono::steady_clock::now();
    caf::scoped_actor s{sys};
    s->request(node, timeouts::leave, leave_atom::value)
      .receive([](caf::ok_atom) {},
               [&](const caf::error& err) {
                 log_error(opts.node_id, "leave: ", sys.render(err));
               });
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - started).count();
    log_info(opts.node_id, "handed off in ", ms, " ms");
  };
  run_heartbeats(opts, db, self, state, cc.settings, reconnect, hand_off);
  caf::anon_send(dispatcher, stop_atom::value);
  caf::anon_send_exit(node, caf::exit_reason::user_shutdown);
  for (auto& w : cc.writers)
    caf::anon_send(w, stop_atom::value);
  caf::anon_send(cc.media, stop_atom::value);
  if (cloud)
    caf::anon_send_exit(upstream, caf::exit_reason::user_shutdown);
  sys.await_all_actors_done();
  log_info(opts.node_id, "coreapp stopped");
  return 0;
}

} // namespace mc
