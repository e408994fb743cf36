#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <httplib.h>

#include "actors/webapp/routing_table.hpp"
#include "runtime/settings_cache.hpp"
#include "http/api_error.hpp"
#include "http/auth.hpp"
#include "http/cloud_webhook_intake.hpp"
#include "http/credential_keys.hpp"
#include "http/login_throttle.hpp"
#include "http/request_metrics.hpp"
#include "runtime/db_pool.hpp"

namespace mc::http {

/// Everything the webapp's request handlers share.
struct webapp_context {
  caf::actor_system* sys = nullptr;
  std::string node_id;
  std::shared_ptr<db_pool> db;
  std::shared_ptr<routing_table> routes;
  std::shared_ptr<settings_cache> settings;
  /// The token secrets and the API key, the same on every webapp (from
  /// the database, reloaded so that a rotation needs no restart).
  std::shared_ptr<credential_keys> keys = std::make_shared<credential_keys>();
  /// Actors that carry sends to the coreapps, used round robin.
  std::vector<caf::actor> gateways;
  std::atomic<uint64_t> next_gateway{0};
  /// Set on SIGTERM: /healthz answers 503 so the front stops sending here
  /// before the server stops accepting.
  std::atomic<bool> draining{false};
  /// Time a webapp waits for a shard's answer.
  std::chrono::milliseconds send_timeout{5000};
  /// The callback queue's cap (--callback-queue-cap), for health and
  /// metrics; the coreapps refuse sends with 1016 while it is reached.
  int64_t callback_queue_cap = 100000;
  /// Request counts and durations for /metrics (set by webapp_server).
  std::shared_ptr<request_metrics> web_metrics;

  /// Failed logins of this webapp, per user and per client address.
  std::shared_ptr<login_throttle> logins = std::make_shared<login_throttle>();
  /// Fronts whose X-Forwarded-For names the client (--trusted-proxy).
  std::vector<std::string> trusted_proxies;

  /// Meta's webhook intake, when the cluster relays to the Cloud API
  /// (--upstream cloud); null otherwise.
  std::shared_ptr<cloud_webhook_intake> cloud;

  /// Revoked token ids, refreshed from the database.
  mutable std::mutex revoked_mtx;
  std::set<std::string> revoked;

  bool is_revoked(const std::string& token_id) const {
    std::lock_guard<std::mutex> guard{revoked_mtx};
    return revoked.count(token_id) > 0;
  }
};

/// Writes `e` as the response.
void reply_error(httplib::Response& res, const api_error& e);

/// Writes a JSON body with `status`.
void reply_json(httplib::Response& res, int status, const std::string& body);

/// Registers the routes of each concern.
void add_user_routes(httplib::Server& srv, webapp_context& ctx);
void add_message_routes(httplib::Server& srv, webapp_context& ctx);
void add_read_routes(httplib::Server& srv, webapp_context& ctx);
void add_admin_routes(httplib::Server& srv, webapp_context& ctx);
void add_account_routes(httplib::Server& srv, webapp_context& ctx);
void add_media_routes(httplib::Server& srv, webapp_context& ctx);
void add_user_admin_routes(httplib::Server& srv, webapp_context& ctx);
void add_account_settings_routes(httplib::Server& srv, webapp_context& ctx);
void add_account_verify_route(httplib::Server& srv, webapp_context& ctx);
/// Only when the cluster relays to the Cloud API (webapp_context::cloud).
void add_cloud_webhook_routes(httplib::Server& srv, webapp_context& ctx);

} // namespace mc::http
