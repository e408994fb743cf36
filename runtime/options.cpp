#include "runtime/options.hpp"

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <stdexcept>

namespace mc {

const char* to_string(role r) {
  switch (r) {
    case role::master: return "master";
    case role::coreapp: return "coreapp";
    case role::webapp: return "webapp";
    case role::upstream_sim: return "upstream-sim";
    case role::cloud_sim: return "cloud-sim";
  }
  return "?";
}

std::optional<role> role_from_string(const std::string& text) {
  for (auto r : {role::master, role::coreapp, role::webapp, role::upstream_sim,
                 role::cloud_sim})
    if (text == to_string(r))
      return r;
  return std::nullopt;
}

namespace {

using setter = std::function<std::string(options&, const std::string&)>;

std::string set_int(int& out, const std::string& v, long lo, long hi) {
  try {
    size_t pos = 0;
    long x = std::stol(v, &pos);
    if (pos != v.size() || x < lo || x > hi)
      throw std::out_of_range("range");
    out = static_cast<int>(x);
    return {};
  } catch (...) {
    return "expects an integer in [" + std::to_string(lo) + ", "
           + std::to_string(hi) + "], got '" + v + "'";
  }
}

std::string set_rate(double& out, const std::string& v) {
  try {
    size_t p = 0;
    double x = std::stod(v, &p);
    if (p != v.size() || x < 0)
      throw std::out_of_range("range");
    out = x;
    return {};
  } catch (...) {
    return "expects a non-negative number, got '" + v + "'";
  }
}

std::string set_text(std::string& out, const std::string& v) {
  out = v;
  return {};
}

std::string set_port(uint16_t& out, const std::string& v) {
  int x = 0;
  auto err = set_int(x, v, 0, 65535);
  if (err.empty())
    out = static_cast<uint16_t>(x);
  return err;
}

const std::map<std::string, setter>& setters() {
  static const std::map<std::string, setter> table{
    {"role",
     [](options& o, const std::string& v) -> std::string {
       auto r = role_from_string(v);
       if (!r)
         return "must be one of master, coreapp, webapp, upstream-sim, cloud-sim; got '" + v + "'";
       o.role = *r;
       return {};
     }},
    {"node-id", [](options& o, const std::string& v) -> std::string {
       if (v.empty() || v.size() > 64)
         return "must be 1-64 characters";
       o.node_id = v;
       return {};
     }},
    {"db", [](options& o, const std::string& v) { o.db_uri = v; return std::string{}; }},
    {"bind", [](options& o, const std::string& v) { o.bind_host = v; return std::string{}; }},
    {"advertise", [](options& o, const std::string& v) { o.advertise_host = v; return std::string{}; }},
    {"caf-port", [](options& o, const std::string& v) { return set_port(o.caf_port, v); }},
    {"http-port", [](options& o, const std::string& v) { return set_port(o.http_port, v); }},
    {"http-threads", [](options& o, const std::string& v) { return set_int(o.http_threads, v, 4, 4096); }},
    {"gateway-linger-us", [](options& o, const std::string& v) { return set_int(o.gateway_linger_us, v, 0, 100000); }},
    {"scheduler-threads", [](options& o, const std::string& v) { return set_int(o.scheduler_threads, v, 0, 256); }},
    {"db-pool", [](options& o, const std::string& v) { return set_int(o.db_pool_size, v, 1, 4); }},
    {"lease-ttl-ms", [](options& o, const std::string& v) { return set_int(o.lease_ttl_ms, v, 100, 600000); }},
    {"lease-renew-ms", [](options& o, const std::string& v) { return set_int(o.lease_renew_ms, v, 10, 600000); }},
    {"heartbeat-ms", [](options& o, const std::string& v) { return set_int(o.node_heartbeat_ms, v, 10, 600000); }},
    {"caf-heartbeat-ms", [](options& o, const std::string& v) { return set_int(o.caf_heartbeat_ms, v, 10, 600000); }},
    {"caf-timeout-ms", [](options& o, const std::string& v) { return set_int(o.caf_timeout_ms, v, 50, 600000); }},
    {"map-poll-ms", [](options& o, const std::string& v) { return set_int(o.map_poll_ms, v, 10, 600000); }},
    {"callback-queue-cap", [](options& o, const std::string& v) { return set_int(o.callback_queue_cap, v, 1, 100000000); }},
    {"callback-expiry-s", [](options& o, const std::string& v) { return set_int(o.callback_expiry_s, v, 1, 400 * 24 * 3600); }},
    {"callback-dedup-s", [](options& o, const std::string& v) { return set_int(o.callback_dedup_s, v, 1, 30 * 24 * 3600); }},
    {"message-retention-s", [](options& o, const std::string& v) { return set_int(o.message_retention_s, v, 1, 2000000000); }},
    {"prune-period-ms", [](options& o, const std::string& v) { return set_int(o.prune_period_ms, v, 10, 3600000); }},
    {"schema-dir", [](options& o, const std::string& v) { o.schema_dir = v; return std::string{}; }},
    {"sim-session-rate", [](options& o, const std::string& v) { return set_int(o.sim_session_rate, v, 0, 10000000); }},
    {"sim-latency-ms", [](options& o, const std::string& v) { return set_int(o.sim_latency_ms, v, 0, 60000); }},
    {"sim-delivered-ms", [](options& o, const std::string& v) { return set_int(o.sim_delivered_ms, v, 0, 600000); }},
    {"sim-read-ms", [](options& o, const std::string& v) { return set_int(o.sim_read_ms, v, 0, 600000); }},
    {"sim-query-bind", [](options& o, const std::string& v) { o.sim_query_bind = v; return std::string{}; }},
    {"sim-users", [](options& o, const std::string& v) { return set_int(o.sim_users, v, 1, 10000000); }},
    {"trusted-proxy", [](options& o, const std::string& v) { o.trusted_proxies.push_back(v); return std::string{}; }},
    {"tls-cert", [](options& o, const std::string& v) { o.tls_cert = v; return std::string{}; }},
    {"tls-key", [](options& o, const std::string& v) { o.tls_key = v; return std::string{}; }},
    {"tls-ca", [](options& o, const std::string& v) { o.tls_ca = v; return std::string{}; }},
    {"upstream", [](options& o, const std::string& v) -> std::string {
       if (v != "sim" && v != "cloud")
         return "must be sim or cloud; got '" + v + "'";
       o.upstream = v;
       return {};
     }},
    {"cloud-url", [](options& o, const std::string& v) { o.cloud_url = v; return std::string{}; }},
    {"cloud-api-version", [](options& o, const std::string& v) { o.cloud_api_version = v; return std::string{}; }},
    {"cloud-ca-file", [](options& o, const std::string& v) { o.cloud_ca_file = v; return std::string{}; }},
    {"cloud-connections", [](options& o, const std::string& v) { return set_int(o.cloud_connections, v, 1, 256); }},
    {"sim-inbound-rate", [](options& o, const std::string& v) { return set_rate(o.sim_inbound_rate, v); }},
    {"sim-query-port", [](options& o, const std::string& v) { return set_port(o.sim_query_port, v); }},
    {"cloud-token-file", [](options& o, const std::string& v) { return set_text(o.cloud_token_file, v); }},
    {"cloud-phone-number-id", [](options& o, const std::string& v) { return set_text(o.cloud_phone_number_id, v); }},
    {"cloud-display-phone-number", [](options& o, const std::string& v) { return set_text(o.cloud_display_phone_number, v); }},
    {"cloud-waba-id", [](options& o, const std::string& v) { return set_text(o.cloud_waba_id, v); }},
    {"cloud-app-secret-file", [](options& o, const std::string& v) { return set_text(o.cloud_app_secret_file, v); }},
    {"cloud-verify-token", [](options& o, const std::string& v) { return set_text(o.cloud_verify_token, v); }},
    {"cloud-mps", [](options& o, const std::string& v) { return set_int(o.cloud_mps, v, 1, 1000000); }},
    {"cloud-mps-burst", [](options& o, const std::string& v) { return set_int(o.cloud_mps_burst, v, 1, 1000000); }},
    {"cloud-sim-pair-per-min", [](options& o, const std::string& v) { return set_int(o.cloud_pair_per_min, v, 1, 6000000); }},
    {"cloud-sim-pair-burst", [](options& o, const std::string& v) { return set_int(o.cloud_pair_burst, v, 1, 1000000); }},
    {"cloud-sim-delivered-ms", [](options& o, const std::string& v) { return set_int(o.cloud_delivered_ms, v, 0, 600000); }},
    {"cloud-sim-read-ms", [](options& o, const std::string& v) { return set_int(o.cloud_read_ms, v, 0, 600000); }},
    {"cloud-sim-webhook", [](options& o, const std::string& v) -> std::string {
       if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
         return "must be an http:// or https:// URL, got '" + v + "'";
       o.cloud_webhook = v;
       return {};
     }},
    {"cloud-sim-webhook-ca", [](options& o, const std::string& v) { return set_text(o.cloud_webhook_ca, v); }},
    {"cloud-sim-webhook-batch", [](options& o, const std::string& v) { return set_int(o.cloud_webhook_batch, v, 1, 1000); }},
    {"cloud-sim-webhook-retries", [](options& o, const std::string& v) { return set_int(o.cloud_webhook_retries, v, 1, 1000); }},
    {"cloud-sim-webhook-backoff-ms", [](options& o, const std::string& v) { return set_int(o.cloud_webhook_backoff_ms, v, 1, 600000); }},
    {"cloud-sim-webhook-queue", [](options& o, const std::string& v) { return set_int(o.cloud_webhook_queue, v, 3, 10000000); }},
    {"cloud-sim-messages-cap", [](options& o, const std::string& v) { return set_int(o.cloud_messages_cap, v, 1, 10000000); }},
    {"cloud-sim-inbound-rate", [](options& o, const std::string& v) { return set_rate(o.cloud_inbound_rate, v); }},
    {"cloud-sim-users", [](options& o, const std::string& v) { return set_int(o.cloud_users, v, 1, 10000000); }},
  };
  return table;
}

std::string apply(options& o, const std::string& key, const std::string& value) {
  auto& table = setters();
  // Config files may spell keys with underscores (cloud_url = ...).
  std::string name = key;
  std::replace(name.begin(), name.end(), '_', '-');
  auto i = table.find(name);
  if (i == table.end())
    return "unknown option --" + key + " (see --help)";
  auto err = i->second(o, value);
  if (!err.empty())
    return "--" + key + " " + err;
  return {};
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos)
    return {};
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

parse_result fail(std::string msg) {
  return {std::nullopt, "multiconnect: " + std::move(msg), 2};
}

} // namespace

std::string usage() {
  return R"(usage: multiconnect --role ROLE --node-id ID --db URI [options]

Roles:
  master        competes for the master lease; the primary runs the supervisor
  coreapp       warm standby that serves the shards the primary master assigns
  webapp        stateless REST front of the On-Premises API (/v1/...)
  upstream-sim  stand-in for the messaging servers, for local runs and tests
                only: a TEST TOOL whose query API (--http-port) injects
                traffic and faults; it listens on loopback unless
                --sim-query-bind says otherwise
  cloud-sim     stand-in for the WhatsApp Cloud API (Meta's Graph API
                servers), for local runs and tests only: a TEST TOOL. Its
                Graph API is on --bind:--http-port (HTTPS with --tls-cert
                and --tls-key), its query and fault API on
                --sim-query-bind:--sim-query-port; needs no --db

Options (also as `key = value` lines in --config FILE; flags win):
  --role ROLE              one of the roles above (required)
  --node-id ID             unique name of this node (required)
  --db URI                 PostgreSQL URI, e.g. postgresql://u@127.0.0.1:5432/mc
  --bind HOST              address to bind sockets to (default 127.0.0.1)
  --advertise HOST         address peers use to reach this node (default: bind)
  --caf-port N             actor middleman port (default 0: any free port)
  --http-port N            REST port (webapp) or query port (upstream-sim)
  --http-threads N         webapp HTTP worker threads (default 192)
  --gateway-linger-us N    webapp: wait up to N us to batch sends (default 0)
  --scheduler-threads N    actor scheduler threads (default: one per core)
  --db-pool N              database connections of this node, 1-4 (default 3)
  --lease-ttl-ms N         master lease time to live (default 1000)
  --lease-renew-ms N       master lease renew period (default 200)
  --heartbeat-ms N         node heartbeat period in the database (default 250)
  --caf-heartbeat-ms N     middleman heartbeat interval (default 200)
  --caf-timeout-ms N       middleman connection timeout (default 1000)
  --map-poll-ms N          webapp: fallback read of the pushed shard map (default 1000)
  --callback-queue-cap N   callback rows before sends answer 1016 (default 100000)
  --callback-expiry-s N    callbacks older than this are dropped (default 604800)
  --callback-dedup-s N     posted callbacks' keys kept against redelivered
                           events this long (default 3600)
  --message-retention-s N  acknowledged messages kept this long (default 2592000)
  --prune-period-ms N      primary master: pruning period (default 10000)
  --schema-dir DIR         SQL migrations (default: the source tree's schema/)
  --sim-session-rate N     upstream-sim: msg/s cap per session (0 = none)
  --sim-latency-ms N       upstream-sim: ack latency (default 1)
  --sim-delivered-ms N     upstream-sim: delay of "delivered" (default 200)
  --sim-read-ms N          upstream-sim: delay of "read", 0 = never (default 1000)
  --sim-query-bind HOST    upstream-sim: address of its query and fault API
                           (default 127.0.0.1, whatever --bind says)
  --sim-inbound-rate X     upstream-sim: inbound messages per second (default 0)
  --sim-users N            upstream-sim: number of simulated users (default 100)
  --sim-query-port N       cloud-sim: port of its query API (default 0: any)
  --cloud-token-file FILE  coreapp: the access token it sends with;
                           cloud-sim: the valid one (required); first line,
                           re-read when the file changes
  --cloud-phone-number-id ID  coreapp (required with --upstream cloud),
                           cloud-sim: the business number's id (sim
                           default 106540352242922; others answer 100)
  --cloud-display-phone-number N  cloud-sim: its display number
                           (default 15550783881)
  --cloud-waba-id ID       cloud-sim: entry[].id of webhooks
                           (default 102290129340398)
  --cloud-app-secret-file FILE  webapp: checks, cloud-sim: signs the
                           webhooks (X-Hub-Signature-256, the app secret)
  --cloud-verify-token T   webapp, cloud-sim: hub.verify_token of Meta's
                           webhook verification
  --cloud-mps N            coreapp: the number's throughput for the whole
                           cluster (at most 1000); cloud-sim: beyond it
                           sends answer 130429 (msg/s, default 80)
  --cloud-mps-burst N      cloud-sim: its token bucket size (default 20)
  --cloud-sim-pair-per-min N  cloud-sim: messages per minute to one
                           recipient before 131056 (default 10)
  --cloud-sim-pair-burst N cloud-sim: its bucket size (default 45)
  --cloud-sim-delivered-ms N  cloud-sim: delay of "delivered" (default 200)
  --cloud-sim-read-ms N    cloud-sim: delay of "read", 0 = never (default 1000)
  --cloud-sim-webhook URL  cloud-sim: where webhooks are posted (http/https)
  --cloud-sim-webhook-ca FILE  cloud-sim: CA of the webhook's certificate
  --cloud-sim-webhook-batch N  cloud-sim: events per POST (default 10)
  --cloud-sim-webhook-retries N  cloud-sim: attempts per POST (default 8)
  --cloud-sim-webhook-backoff-ms N  cloud-sim: first retry delay, doubling
                           up to 10 s (default 200)
  --cloud-sim-webhook-queue N  cloud-sim: events waiting before sends
                           answer 503 (131016) (default 10000)
  --cloud-sim-messages-cap N  cloud-sim: sent messages kept (default 100000)
  --cloud-sim-inbound-rate X  cloud-sim: random inbound msg/s (default 0)
  --cloud-sim-users N      cloud-sim: simulated users (default 100)
  --trusted-proxy ADDR     webapp: an HTTP front at ADDR names the client in
                           X-Forwarded-For (login throttle); repeatable
  --tls-cert FILE          mutual TLS between nodes: this node's certificate
                           (PEM, signed by the cluster CA); cloud-sim: the
                           certificate of its HTTPS Graph API (with --tls-key)
  --tls-key FILE           its private key (PEM, mode 0600)
  --tls-ca FILE            the cluster CA; peers without a certificate it
                           signed are refused. Without the three: plain links
  --upstream sim|cloud     coreapp, webapp: the messaging servers are the
                           upstream-sim role (default) or the WhatsApp Cloud
                           API (README, "Relay to the Cloud API")
  --cloud-url URL          coreapp: the Graph API (default
                           https://graph.facebook.com)
  --cloud-api-version V    coreapp: Graph API version (default v23.0)
  --cloud-ca-file FILE     coreapp: CA bundle for a private --cloud-url
  --cloud-connections N    coreapp: HTTPS connections to the Graph API per
                           node (default 8)
  --config FILE            read options from FILE (key = value, keys as the
                           flags without --; _ and - are the same)
  --help                   print this text
)";
}

parse_result parse_options(int argc, const char* const* argv) {
  options o;
  std::vector<std::pair<std::string, std::string>> cli;
  std::string config_file;
  bool has_role = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h")
      return {std::nullopt, usage(), 0};
    if (arg.rfind("--", 0) != 0)
      return fail("unexpected argument '" + arg + "' (see --help)");
    std::string key = arg.substr(2), value;
    auto eq = key.find('=');
    if (eq != std::string::npos) {
      value = key.substr(eq + 1);
      key.resize(eq);
    } else {
      if (i + 1 >= argc)
        return fail("--" + key + " needs a value");
      value = argv[++i];
    }
    if (key == "config")
      config_file = value;
    else
      cli.emplace_back(key, value);
  }
  if (!config_file.empty()) {
    std::ifstream in(config_file);
    if (!in)
      return fail("cannot read config file '" + config_file + "'");
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      line = trim(line);
      if (line.empty() || line[0] == '#')
        continue;
      auto eq = line.find('=');
      if (eq == std::string::npos)
        return fail(config_file + ":" + std::to_string(line_no)
                    + ": expected 'key = value'");
      auto key = trim(line.substr(0, eq));
      has_role |= key == "role";
      auto err = apply(o, key, trim(line.substr(eq + 1)));
      if (!err.empty())
        return fail(config_file + ":" + std::to_string(line_no) + ": " + err);
    }
  }
  for (auto& [k, v] : cli) {
    auto err = apply(o, k, v);
    if (!err.empty())
      return fail(err);
    has_role |= k == "role";
  }
  if (!has_role)
    return fail("--role is required (see --help)");
  if (o.node_id.empty())
    return fail("--node-id is required (see --help)");
  // The Cloud API simulator holds everything in memory: no database.
  if (o.db_uri.empty() && o.role != role::cloud_sim)
    return fail("--db is required (see --help)");
  if (o.advertise_host.empty())
    o.advertise_host = o.bind_host;
  if (o.schema_dir.empty())
    o.schema_dir = MC_SCHEMA_DIR;
  if (o.lease_renew_ms * 2 > o.lease_ttl_ms)
    return fail("--lease-renew-ms must be at most half of --lease-ttl-ms");
  auto tls_given = int{!o.tls_cert.empty()} + int{!o.tls_key.empty()}
                   + int{!o.tls_ca.empty()};
  if (o.role == role::cloud_sim) {
    // Its HTTPS server needs a certificate and key, no CA.
    if (o.tls_cert.empty() != o.tls_key.empty())
      return fail("--tls-cert and --tls-key go together");
    if (o.cloud_token_file.empty())
      return fail("--cloud-token-file is required for cloud-sim");
    if (!o.cloud_webhook.empty() && o.cloud_app_secret_file.empty())
      return fail("--cloud-sim-webhook needs --cloud-app-secret-file");
  } else if (tls_given != 0 && tls_given != 3) {
    return fail("--tls-cert, --tls-key and --tls-ca go together");
  }
  if (o.upstream == "cloud" && o.role == role::coreapp
      && (o.cloud_phone_number_id.empty() || o.cloud_token_file.empty()))
    return fail("--upstream cloud needs --cloud-phone-number-id and "
                "--cloud-token-file on a coreapp");
  if (o.upstream == "cloud" && o.role == role::coreapp && o.cloud_mps > 1000)
    return fail("--cloud-mps is at most 1000 (the Cloud API's highest tier)");
  if (o.upstream == "cloud" && o.role == role::webapp
      && (o.cloud_app_secret_file.empty() || o.cloud_verify_token.empty()))
    return fail("--upstream cloud needs --cloud-app-secret-file and "
                "--cloud-verify-token on a webapp");
  if ((o.role == role::webapp) && o.http_port == 0)
    return fail("--http-port is required for a webapp");
  return {o, {}, 0};
}

} // namespace mc
