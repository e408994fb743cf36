#pragma once

/// The Cloud API simulator's query and fault API: a TEST TOOL, on loopback
/// unless told otherwise, since it injects traffic and faults.
///
/// Routes (JSON answers; errors {"error":"why"} with 400):
/// - GET /healthz -> "ok"
/// - GET /stats -> cloud_stats_json (http/cloud_sim/cloud_sim_query_json.hpp)
/// - GET /messages?from=K&limit=L&recipient=R -> {"messages":[...]} (L
///   default 1000, at most 100000); GET /messages/{wamid} -> one, or 404
/// - GET /reads -> {"total","reads":[{"message_id","timestamp"}]}
/// - GET /webhooks -> {"counts":{...},"attempts":[...]}
/// - POST /webhooks/verify -> {"ok","status","challenge","echo","error"}:
///   the GET verification of the webhook URL, made now
/// - GET /templates; POST /templates {"name","language"?,"category"?};
///   DELETE /templates (back to accepting any name)
/// - POST /fault {"fail_sends":{"count","http_status"?,"code"?,"details"?}?,
///   "latency_ms"?, "token":"expire"|"restore"?,
///   "webhooks":"normal"|"refuse"|"pause"?} -> {"ok":true}
/// - POST /inbound (cloud_sim_inbound.hpp) -> {"ok":true,"id":"wamid..."}
/// - POST /reset -> {"ok":true}: traffic, counts, faults, limits, media and
///   templates

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "http/cloud_sim/cloud_sim_parts.hpp"

namespace httplib {
class Server;
} // namespace httplib

namespace mc {

/// Serves the query API of one simulator.
class cloud_sim_query {
public:
  explicit cloud_sim_query(cloud_sim_parts parts);
  ~cloud_sim_query();

  cloud_sim_query(const cloud_sim_query&) = delete;
  cloud_sim_query& operator=(const cloud_sim_query&) = delete;

  /// Binds `host:port` (0: a free port) and serves from a thread.
  bool start(const std::string& host, uint16_t port);

  uint16_t port() const { return port_; }

  void stop();

private:
  void install_routes();
  void install_control_routes();

  cloud_sim_parts parts_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  uint16_t port_ = 0;
};

} // namespace mc
