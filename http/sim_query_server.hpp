#pragma once

/// The upstream simulator's HTTP query and control surface.
///
/// Routes:
/// - GET /healthz -> 200 "ok"
/// - GET /stats -> {"accepted","duplicates","refused","kicks","logins",
///   "receipts","inbound","sessions":[{"account","shard","epoch","accepted",
///   "live"}]}
/// - GET /log?from=K&limit=L -> text/plain "seq\tid\trecipient\tshard\tepoch\n"
///   lines in acceptance order from log index K (default 0; L default
///   100000, at most 1000000)
/// - GET /messages?from=K&limit=L -> {"messages":[{"seq","id","recipient",
///   "account","shard","epoch","payload"}]}: the same records with the
///   message document exactly as received, as a JSON string (L default
///   1000, at most 100000)
/// - POST /reset -> clears the log and counters (not the sessions)
/// - POST /fault {"drop_sessions":true} | {"refuse_logins_ms":N} |
///   {"extra_latency_ms":N} (keys may be combined) -> {"ok":true}, 400 on
///   bad input
/// - POST /inbound {"account","from"[,"id"][,"name"]} with one of
///   "body":"text" | "type":"image" (the simulator's sample of that type) |
///   "message":{"type":...,...} (the message object) -> {"ok":true}:
///   injects one inbound message now (http/sim_inbound_request.hpp)
/// - GET /reads -> {"total","reads":[{"account","shard","epoch",
///   "message_id","sender"}]}: the read receipts taken (mark-as-read)
/// - POST /templates, POST /rules: what the simulated servers check
///   (http/sim_rules_routes.hpp)
/// - POST /contacts/non_users {"numbers":[...]} -> {"ok":true}; GET
///   /contacts -> {"checks","non_users"} (sim_contact_routes.hpp); the
///   non-users are those of POST /rules too, so sends to them fail (1013)

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "actors/sim/sim_directory.hpp"
#include "actors/sim/sim_ledger.hpp"
#include "actors/sim/sim_media.hpp"

namespace httplib {
class Server;
} // namespace httplib

namespace mc {

/// Serves queries about, and faults for, one upstream simulator.
class sim_query_server {
public:
  using inject_fn = std::function<void(inbound_message, std::string account)>;

  /// `inject_inbound` delivers a message injected via POST /inbound;
  /// `on_fault`, if set, is called after a fault request is stored in the
  /// ledger so the simulator applies it at once (otherwise it does so on its
  /// next message).
  sim_query_server(std::shared_ptr<sim_ledger> ledger, inject_fn inject_inbound,
                   std::function<void()> on_fault = {});

  ~sim_query_server();

  sim_query_server(const sim_query_server&) = delete;
  sim_query_server& operator=(const sim_query_server&) = delete;

  /// Serves the contact routes (http/sim_contact_routes.cpp) over
  /// `directory`, which the ledger's rules then share (one list of
  /// non-users); call before `start`. Without it the routes serve the
  /// rules' own directory.
  void set_directory(std::shared_ptr<sim_directory> directory) {
    ledger_->rules().use_directory(directory);
    directory_ = std::move(directory);
  }

  /// Binds `host:port` (port 0 picks a free one) and serves in a background
  /// thread. Returns false if binding fails or the server is running.
  bool start(const std::string& host, uint16_t port);

  /// The bound port after a successful `start`, else 0.
  uint16_t port() const {
    return port_;
  }

  /// Stops serving and joins the thread; idempotent.
  void stop();

  /// Also serves `media` (http/sim_media_routes.hpp); call before `start`.
  void serve_media(std::shared_ptr<sim_media> media) {
    media_ = std::move(media);
  }

private:
  void install_routes();

  std::shared_ptr<sim_ledger> ledger_;
  inject_fn inject_;
  std::function<void()> on_fault_;
  std::shared_ptr<sim_directory> directory_;
  std::shared_ptr<sim_media> media_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  uint16_t port_ = 0;
};

} // namespace mc
