#include <pqxx/pqxx>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "http/app_settings.hpp"
#include "http/webapp_context.hpp"
#include "runtime/master_lease.hpp"
#include "runtime/node_registry.hpp"
#include "runtime/shard_map_store.hpp"

namespace mc::http {

namespace {

void get_settings(webapp_context& ctx, const httplib::Request& req,
                  httplib::Response& res) {
  if (!authenticate_admin(ctx, req, res))
    return;
  auto stored = ctx.db->with([](pqxx::connection& c) {
    pqxx::read_transaction tx{c};
    return tx.exec1("SELECT settings::text FROM cluster WHERE id = 1")[0]
      .as<std::string>();
  });
  reply_json(res, 200, settings_response_json(settings_from_stored_json(stored)));
}

void patch_settings(webapp_context& ctx, const httplib::Request& req,
                    httplib::Response& res) {
  if (!authenticate_admin(ctx, req, res))
    return;
  // Read-modify-write under a row lock, so concurrent PATCHes on two
  // webapps do not lose each other's fields.
  std::optional<api_error> failure;
  auto updated = ctx.db->with([&](pqxx::connection& c) {
    pqxx::work tx{c};
    auto stored = tx.exec1("SELECT settings::text FROM cluster WHERE id = 1 "
                           "FOR UPDATE")[0]
                    .as<std::string>();
    auto patched = apply_settings_patch(settings_from_stored_json(stored),
                                        req.body);
    if (auto err = std::get_if<api_error>(&patched)) {
      failure = *err;
      return app_settings{};
    }
    auto& s = std::get<app_settings>(patched);
    tx.exec_params("UPDATE cluster SET settings = $1::jsonb WHERE id = 1",
                   settings_to_stored_json(s));
    tx.commit();
    return s;
  });
  if (failure) {
    reply_error(res, *failure);
    return;
  }
  ctx.settings->set(updated);
  reply_json(res, 200, settings_response_json(updated));
}

/// GET /v1/health in the On-Prem multiconnect shape, one entry per node.
void health(webapp_context& ctx, const httplib::Request& req,
            httplib::Response& res) {
  if (!authenticate_monitoring(ctx, req, res))
    return;
  struct snapshot {
    std::vector<node_record> nodes;
    lease_state lease;
    shard_table table;
    std::string account;
  };
  auto snap = ctx.db->with([](pqxx::connection& c) {
    return snapshot{list_nodes(c), read_lease(c), load_shard_table(c),
                    load_account(c)};
  });
  auto unhealthy_ms = static_cast<int64_t>(
    ctx.settings->get().unhealthy_interval * 1000);
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  w.StartObject();
  w.Key("health");
  w.StartObject();
  for (auto& n : snap.nodes) {
    if (n.role == "upstream-sim")
      continue;
    bool alive = n.state != "stopped" && n.heartbeat_age_ms <= unhealthy_ms;
    std::vector<int32_t> owned;
    for (auto& slot : snap.table.slots)
      if (slot.owner == n.node_id)
        owned.push_back(slot.shard_id);
    std::string role = n.role;
    std::string gateway = alive ? "connected" : "disconnected";
    if (n.role == "master") {
      role = alive && snap.lease.holder == n.node_id
                 && snap.lease.remaining_ms > 0
               ? "primary_master"
               : "secondary_master";
    } else if (n.role == "coreapp" && alive && owned.empty()) {
      // A warm standby holds no upstream session.
      gateway = "disconnected";
    }
    auto key = n.host + ":" + n.node_id;
    w.Key(key.c_str());
    w.StartObject();
    w.Key("gateway_status");
    w.String(gateway.c_str());
    w.Key("role");
    w.String(role.c_str());
    w.Key("state");
    w.String(alive ? n.state.c_str() : "unreachable");
    w.Key("heartbeat_age_ms");
    w.Int64(n.heartbeat_age_ms);
    if (n.role == "coreapp") {
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
  write_meta(w);
  w.EndObject();
  reply_json(res, 200, {buf.GetString(), buf.GetSize()});
}

/// GET /v1/stats: what the cluster holds, for operators.
void stats(webapp_context& ctx, const httplib::Request& req,
           httplib::Response& res) {
  if (!authenticate_monitoring(ctx, req, res))
    return;
  auto body = ctx.db->with([](pqxx::connection& c) {
    pqxx::read_transaction tx{c};
    auto r = tx.exec1(
      "SELECT (SELECT count(*) FROM messages),"
      " (SELECT count(*) FROM messages WHERE status = 'accepted'),"
      " (SELECT count(*) FROM callbacks),"
      " (SELECT shards FROM cluster WHERE id = 1),"
      " (SELECT config_epoch FROM cluster WHERE id = 1)");
    return "{\"stats\":{\"messages\":" + r[0].as<std::string>()
           + ",\"messages_unsent\":" + r[1].as<std::string>()
           + ",\"callbacks_queued\":" + r[2].as<std::string>()
           + ",\"shards\":" + r[3].as<std::string>()
           + ",\"config_epoch\":" + r[4].as<std::string>() + "},"
           + meta_json_fields() + "}";
  });
  reply_json(res, 200, body);
}

} // namespace

void add_admin_routes(httplib::Server& srv, webapp_context& ctx) {
  srv.Get("/v1/settings/application",
          [&ctx](const httplib::Request& req, httplib::Response& res) {
            get_settings(ctx, req, res);
          });
  srv.Patch("/v1/settings/application",
            [&ctx](const httplib::Request& req, httplib::Response& res) {
              patch_settings(ctx, req, res);
            });
  srv.Get("/v1/health", [&ctx](const httplib::Request& req,
                               httplib::Response& res) {
    health(ctx, req, res);
  });
  srv.Get("/v1/stats", [&ctx](const httplib::Request& req,
                              httplib::Response& res) {
    stats(ctx, req, res);
  });
  srv.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    reply_json(res, 200, "{\"status\":\"up\"}");
  });
}

} // namespace mc::http
