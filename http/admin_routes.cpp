#include <pqxx/pqxx>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "http/metrics_format.hpp"
#include "http/route.hpp"
#include "http/settings_patch.hpp"
#include "http/settings_pusher.hpp"
#include "http/webapp_context.hpp"
#include "runtime/store/cloud_store.hpp"
#include "runtime/store/retention_store.hpp"
#include "runtime/store/cluster_config.hpp"
#include "runtime/store/master_lease.hpp"
#include "runtime/store/node_registry.hpp"
#include "runtime/store/shard_map_store.hpp"

namespace mc::http {

namespace {

void get_settings(webapp_context& ctx, const httplib::Request&,
                  httplib::Response& res) {
  auto stored = ctx.db->with([](pqxx::connection& c) { return load_settings(c); });
  reply_json(res, 200, settings_response_json(stored));
}

void patch_settings(webapp_context& ctx, const httplib::Request& req,
                    httplib::Response& res) {
  // Read-modify-write under a row lock (update_settings), so concurrent
  // PATCHes on two webapps do not lose each other's fields.
  std::optional<api_error> failure;
  auto updated = ctx.db->with([&](pqxx::connection& c) {
    return update_settings(c, [&](const app_settings& stored)
                                -> std::optional<app_settings> {
      auto patched = apply_settings_patch(stored, req.body);
      if (auto err = std::get_if<api_error>(&patched)) {
        failure = *err;
        return std::nullopt;
      }
      return std::get<app_settings>(patched);
    });
  });
  if (failure) {
    reply_error(res, *failure);
    return;
  }
  ctx.settings->set(*updated);
  // In force on every coreapp before the answer (within the deadline; a
  // node the push misses reads it by its poll within a second).
  push_settings(ctx, settings_to_stored_json(*updated),
                std::chrono::seconds{2});
  reply_json(res, 200, settings_response_json(*updated));
}

/// GET /v1/health in the On-Prem multiconnect shape, one entry per node.
void health(webapp_context& ctx, const httplib::Request&,
            httplib::Response& res) {
  struct snapshot {
    std::vector<node_record> nodes;
    lease_state lease;
    shard_table table;
    std::string account;
    int64_t callbacks = 0;
    std::map<std::string, std::string> cloud;
    int64_t cloud_waiting = 0;
  };
  auto unhealthy = std::chrono::milliseconds{static_cast<int64_t>(
    ctx.settings->get().unhealthy_interval * 1000)};
  auto snap = ctx.db->with([&](pqxx::connection& c) {
    return snapshot{list_nodes(c, unhealthy), read_lease(c),
                    load_shard_table(c), load_account(c),
                    callback_queue_depth(c, ctx.callback_queue_cap),
                    cloud_gateways(c),
                    ctx.cloud ? waiting_cloud_statuses(c) : 0};
  });
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  w.StartObject();
  w.Key("health");
  w.StartObject();
  for (auto& n : snap.nodes) {
    auto node_role = n.role;
    if (node_role == role::upstream_sim)
      continue;
    bool alive = n.live;
    std::vector<int32_t> owned;
    for (auto& slot : snap.table.slots)
      if (slot.owner == n.node_id)
        owned.push_back(slot.shard_id);
    std::string shown_role = to_string(n.role);
    std::string gateway = alive ? "connected" : "disconnected";
    if (node_role == role::master) {
      shown_role = alive && snap.lease.holder == n.node_id && snap.lease.live
                     ? "primary_master"
                     : "secondary_master";
    } else if (node_role == role::coreapp && alive && owned.empty()) {
      // A warm standby holds no upstream session.
      gateway = "disconnected";
    } else if (auto g = snap.cloud.find(n.node_id);
               node_role == role::coreapp && alive && g != snap.cloud.end()) {
      // A relay to the Cloud API says why its sends stopped, if they did.
      gateway = g->second;
    }
    auto key = n.host + ":" + n.node_id;
    w.Key(key.c_str());
    w.StartObject();
    w.Key("gateway_status");
    w.String(gateway.c_str());
    w.Key("role");
    w.String(shown_role.c_str());
    w.Key("state");
    w.String(alive ? to_string(n.state) : "unreachable");
    w.Key("heartbeat_age_ms");
    w.Int64(n.heartbeat_age_ms);
    if (node_role == role::coreapp) {
      w.Key("shards");
      w.StartArray();
      for (auto s : owned)
        w.Int(s);
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndObject();
  w.Key("shards");
  w.StartObject();
  w.Key("count");
  w.Int(snap.table.shards);
  w.Key("unowned");
  w.StartArray();
  for (auto& slot : snap.table.slots)
    if (slot.owner.empty())
      w.Int(slot.shard_id);
  w.EndArray();
  w.EndObject();
  // The webhook queue's bound: while full, sends answer 1016.
  w.Key("callback_queue");
  w.StartObject();
  w.Key("queued");
  w.Int64(snap.callbacks);
  w.Key("cap");
  w.Int64(ctx.callback_queue_cap);
  w.Key("full");
  w.Bool(snap.callbacks >= ctx.callback_queue_cap);
  w.EndObject();
  if (ctx.cloud) {
    // Cloud statuses that came before the wamid of their send was
    // recorded; they go on once it is (schema/014).
    w.Key("cloud");
    w.StartObject();
    w.Key("waiting_statuses");
    w.Int64(snap.cloud_waiting);
    w.EndObject();
  }
  write_meta(w);
  w.EndObject();
  reply_json(res, 200, {buf.GetString(), buf.GetSize()});
}

/// What the cluster holds, for /v1/stats and /metrics.
struct counters_snapshot : cluster_counters {
  std::vector<std::pair<std::string, int64_t>> live_nodes; ///< per role
};

counters_snapshot load_counters(webapp_context& ctx) {
  auto unhealthy = std::chrono::milliseconds{static_cast<int64_t>(
    ctx.settings->get().unhealthy_interval * 1000)};
  return ctx.db->with([&](pqxx::connection& c) {
    counters_snapshot k;
    static_cast<cluster_counters&>(k) = load_cluster_counters(c);
    k.live_nodes = live_nodes_per_role(c, unhealthy);
    return k;
  });
}

/// GET /v1/stats: what the cluster holds, as JSON.
void stats(webapp_context& ctx, const httplib::Request&,
           httplib::Response& res) {
  auto k = load_counters(ctx);
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  w.StartObject();
  w.Key("stats");
  w.StartObject();
  w.Key("messages_estimate");
  w.Int64(k.messages_estimate);
  w.Key("messages_unsent");
  w.Int64(k.messages_unsent);
  w.Key("callbacks_queued");
  w.Int64(k.callbacks_queued);
  w.Key("shards");
  w.Int64(k.shards);
  w.Key("shards_unowned");
  w.Int64(k.shards_unowned);
  w.Key("config_epoch");
  w.Int64(k.config_epoch);
  w.Key("live_nodes");
  w.StartObject();
  for (auto& [role, n] : k.live_nodes) {
    w.Key(role.c_str());
    w.Int64(n);
  }
  w.EndObject();
  w.EndObject();
  write_meta(w);
  w.EndObject();
  reply_json(res, 200, {buf.GetString(), buf.GetSize()});
}

/// GET /metrics: the same in the Prometheus text format.
void metrics(webapp_context& ctx, const httplib::Request&,
             httplib::Response& res) {
  auto k = load_counters(ctx);
  std::string out;
  auto gauge = [&](const char* name, const char* help, int64_t value,
                   const std::string& labels = {}) {
    out += std::string{"# HELP "} + name + " " + help + "\n# TYPE " + name
           + " gauge\n" + name + labels + " " + std::to_string(value) + "\n";
  };
  gauge("multiconnect_messages_estimate", "Messages stored (planner estimate).",
        k.messages_estimate);
  gauge("multiconnect_messages_unsent",
        "Accepted messages the upstream has not acknowledged.",
        k.messages_unsent);
  gauge("multiconnect_callbacks_queued", "Webhook callbacks waiting.",
        k.callbacks_queued);
  gauge("multiconnect_callback_queue_cap",
        "Callbacks the queue holds before sends answer 1016.",
        ctx.callback_queue_cap);
  gauge("multiconnect_callback_queue_full",
        "1 while the callback queue is at its cap (sends answer 1016).",
        k.callbacks_queued >= ctx.callback_queue_cap ? 1 : 0);
  gauge("multiconnect_shards", "Shard count.", k.shards);
  gauge("multiconnect_shards_unowned", "Shards no coreapp serves.",
        k.shards_unowned);
  gauge("multiconnect_config_epoch", "Shard configuration epoch.",
        k.config_epoch);
  gauge("multiconnect_master_lease_epoch", "Master lease epoch.",
        k.master_lease_epoch);
  out += "# HELP multiconnect_live_nodes Nodes with a fresh heartbeat.\n"
         "# TYPE multiconnect_live_nodes gauge\n";
  for (auto& [role, n] : k.live_nodes)
    out += "multiconnect_live_nodes{role=\"" + role + "\"} "
           + std::to_string(n) + "\n";
  // The On-Prem webapp's own names (web_uptime, web_requests,
  // api_requests_duration_ms), labelled by node as the reference shows
  // (https://developers.secure.facebook.com/docs/whatsapp/on-premises/reference/metrics).
  if (ctx.web_metrics)
    out += prometheus_text(ctx.web_metrics->families(),
                           {{"node", ctx.node_id}});
  res.status = 200;
  res.set_content(out, "text/plain; version=0.0.4");
}

/// GET /healthz: the process answers (load balancer probe, no auth); 503
/// while it drains before stopping, so the front sends elsewhere.
void healthz(webapp_context& ctx, const httplib::Request&,
             httplib::Response& res) {
  if (ctx.draining.load())
    reply_json(res, 503, "{\"status\":\"draining\"}");
  else
    reply_json(res, 200, "{\"status\":\"up\"}");
}

} // namespace

void add_admin_routes(httplib::Server& srv, webapp_context& ctx) {
  using m = route_method;
  add_route(srv, ctx, m::get, "/v1/settings/application", route_access::admin,
            get_settings);
  add_route(srv, ctx, m::patch, "/v1/settings/application",
            route_access::admin, patch_settings);
  add_route(srv, ctx, m::get, "/v1/health", route_access::monitoring, health);
  add_route(srv, ctx, m::get, "/v1/stats", route_access::monitoring, stats);
  add_route(srv, ctx, m::get, "/metrics", route_access::monitoring, metrics);
  add_route(srv, ctx, m::get, "/healthz", route_access::open, healthz);
}

} // namespace mc::http
