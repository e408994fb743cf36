#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mc {

/// The roles one `multiconnect` binary can play.
enum class role { master, coreapp, webapp, upstream_sim, cloud_sim };

/// Returns the flag spelling of `r`, e.g. "upstream-sim"; it is also the
/// text of `nodes.role`.
const char* to_string(role r);

/// The role spelled `text`, nullopt for an unknown spelling.
std::optional<role> role_from_string(const std::string& text);

/// Everything a node is started with, from flags and an optional config file.
struct options {
  mc::role role = mc::role::coreapp;
  std::string node_id;
  std::string db_uri;
  /// Address the node's sockets bind to.
  std::string bind_host = "127.0.0.1";
  /// Address peers use to reach this node; defaults to `bind_host`.
  std::string advertise_host;
  /// CAF middleman port; 0 picks a free one.
  uint16_t caf_port = 0;
  /// REST port of a webapp, or query port of the upstream simulator.
  uint16_t http_port = 0;
  /// HTTP worker threads of a webapp (each keep-alive connection holds one).
  int http_threads = 192;
  /// Microseconds a webapp lets a batch of sends wait for more before it
  /// goes to the coreapp (bigger batches: fewer messages and commits).
  int gateway_linger_us = 0;
  /// Actor scheduler threads; 0 means one per core.
  int scheduler_threads = 0;
  /// Pool of database connections this node may hold.
  int db_pool_size = 3;
  /// Master lease time to live and renew period, milliseconds.
  int lease_ttl_ms = 1000;
  int lease_renew_ms = 200;
  /// Node heartbeat period in the `nodes` table, milliseconds.
  int node_heartbeat_ms = 250;
  /// CAF middleman heartbeat and connection timeout, milliseconds.
  int caf_heartbeat_ms = 200;
  int caf_timeout_ms = 1000;
  /// Webapp: period of the fallback read of the shard map (maps are pushed
  /// by the primary master), milliseconds.
  int map_poll_ms = 1000;
  /// Bounded tables (see runtime/store/retention_store.hpp): the callback
  /// queue's cap (rows, cluster-wide; new sends answer 1016 while it is
  /// full), its expiry, how long posted callbacks' keys deduplicate
  /// redelivered events and the retention of acknowledged messages
  /// (seconds), and the primary master's pruning period (milliseconds).
  int callback_queue_cap = 100000;
  int callback_expiry_s = 7 * 24 * 3600;
  int callback_dedup_s = 3600;
  int message_retention_s = 30 * 24 * 3600;
  int prune_period_ms = 10000;
  /// Directory with the numbered SQL migrations.
  std::string schema_dir;
  /// Upstream simulator knobs (role upstream-sim).
  int sim_session_rate = 0;      ///< msg/s cap per session, 0 = none
  int sim_latency_ms = 1;        ///< ack latency
  int sim_delivered_ms = 200;    ///< delay before a "delivered" receipt
  int sim_read_ms = 1000;        ///< delay before a "read" receipt, 0 = never
  /// Address of the simulator's query and fault API: loopback unless asked,
  /// because it lets anyone who reaches it inject traffic and faults.
  std::string sim_query_bind = "127.0.0.1";
  double sim_inbound_rate = 0;   ///< inbound messages per second, all users
  int sim_users = 100;           ///< simulated users sending inbound
  /// Cloud API simulator knobs (role cloud-sim; see --help).
  std::string cloud_token_file;
  /// Empty: the simulator's own default; a coreapp must be given one.
  std::string cloud_phone_number_id;
  std::string cloud_display_phone_number = "15550783881";
  std::string cloud_waba_id = "102290129340398";
  std::string cloud_app_secret_file;
  std::string cloud_verify_token;
  int cloud_mps = 80;
  int cloud_mps_burst = 20;
  int cloud_pair_per_min = 10;
  int cloud_pair_burst = 45;
  int cloud_delivered_ms = 200;
  int cloud_read_ms = 1000;
  std::string cloud_webhook;
  std::string cloud_webhook_ca;
  int cloud_webhook_batch = 10;
  int cloud_webhook_retries = 8;
  int cloud_webhook_backoff_ms = 200;
  int cloud_webhook_queue = 10000;
  int cloud_messages_cap = 100000;
  double cloud_inbound_rate = 0;
  int cloud_users = 100;
  /// Port of the cloud-sim's query API (its Graph API is on --http-port).
  uint16_t sim_query_port = 0;
  /// Mutual TLS of the CAF links: this node's certificate chain and key
  /// (PEM) and the cluster CA that every peer's certificate must chain to.
  /// All three or none; none means plain links (a warning in the log).
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;

  /// Webapp: addresses of HTTP fronts whose X-Forwarded-For names the real
  /// client (for the per-address login throttle); --trusted-proxy, repeatable.
  std::vector<std::string> trusted_proxies;

  /// Coreapps and webapps: "sim" (the upstream-sim role) or "cloud" (the
  /// WhatsApp Cloud API, actors/cloud/).
  std::string upstream = "sim";
  /// Cloud API relay settings (--cloud-*).
  /// The token file, phone number id, app secret file, verify token and
  /// --cloud-mps are the simulator's fields above, shared.
  std::string cloud_url = "https://graph.facebook.com";
  std::string cloud_api_version = "v23.0";
  /// A CA bundle for a private Cloud endpoint (the local simulator).
  std::string cloud_ca_file;
  int cloud_connections = 8;

  /// True when the CAF links run over mutual TLS.
  bool tls() const { return !tls_cert.empty(); }
};

/// Result of parsing: options, or a message for the user and an exit code.
struct parse_result {
  std::optional<options> opts;
  std::string message; ///< help text or a one-line error
  int exit_code = 0;
};

/// Parses `argv`; `--config FILE` reads `key = value` lines first and flags
/// given on the command line win over the file.
parse_result parse_options(int argc, const char* const* argv);

/// The `--help` text.
std::string usage();

} // namespace mc
