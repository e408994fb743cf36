#include <fstream>
#include <sstream>

#include "http/cloud_sim/cloud_sim_query.hpp"
#include "http/cloud_sim/cloud_sim_server.hpp"
#include "runtime/log.hpp"
#include "runtime/roles/node_runtime.hpp"

namespace mc {

namespace {

/// The first line of `path`, trailing blanks dropped; nullopt if unreadable.
std::optional<std::string> first_line(const std::string& path) {
  std::ifstream in{path};
  if (!in)
    return std::nullopt;
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
    line.pop_back();
  return line;
}

cloud_sim_config config_of(const options& opts) {
  cloud_sim_config c;
  if (!opts.cloud_phone_number_id.empty())
    c.phone_number_id = opts.cloud_phone_number_id;
  c.display_phone_number = opts.cloud_display_phone_number;
  c.waba_id = opts.cloud_waba_id;
  c.token_file = opts.cloud_token_file;
  c.verify_token = opts.cloud_verify_token;
  c.webhook_url = opts.cloud_webhook;
  c.webhook_ca = opts.cloud_webhook_ca;
  c.mps = opts.cloud_mps;
  c.mps_burst = opts.cloud_mps_burst;
  c.pair_per_min = opts.cloud_pair_per_min;
  c.pair_burst = opts.cloud_pair_burst;
  c.delivered_ms = opts.cloud_delivered_ms;
  c.read_ms = opts.cloud_read_ms;
  c.webhook_batch = opts.cloud_webhook_batch;
  c.webhook_retries = opts.cloud_webhook_retries;
  c.webhook_backoff_ms = opts.cloud_webhook_backoff_ms;
  c.webhook_queue_cap = static_cast<size_t>(opts.cloud_webhook_queue);
  c.messages_cap = static_cast<size_t>(opts.cloud_messages_cap);
  c.inbound_rate = opts.cloud_inbound_rate;
  c.users = opts.cloud_users;
  return c;
}

} // namespace

int run_cloud_sim(const options& opts) {
  auto cfg = config_of(opts);
  if (!opts.cloud_app_secret_file.empty()) {
    auto secret = first_line(opts.cloud_app_secret_file);
    if (!secret || secret->empty()) {
      log_error(opts.node_id, "cannot read an app secret from ",
                opts.cloud_app_secret_file);
      return 1;
    }
    cfg.app_secret = *secret;
  }
  if (!first_line(cfg.token_file))
    log_info(opts.node_id, "warning: cannot read --cloud-token-file ",
             cfg.token_file, " yet: every call answers 190 until it exists");
  auto parts = cloud_sim_parts::make(cfg);
  cloud_sim_server graph{parts};
  if (auto why = graph.start(opts.bind_host, opts.http_port, opts.tls_cert,
                             opts.tls_key);
      !why.empty()) {
    log_error(opts.node_id, why);
    return 1;
  }
  cloud_sim_query query{parts};
  if (!query.start(opts.sim_query_bind, opts.sim_query_port)) {
    log_error(opts.node_id, "cannot serve queries on ", opts.sim_query_bind,
              ":", opts.sim_query_port);
    return 1;
  }
  parts.webhooks->start();
  parts.inbound->start();
  log_info(opts.node_id, "Cloud API simulator on ",
           opts.tls_cert.empty() ? "http://" : "https://", opts.bind_host,
           ":", graph.port(), " (phone number id ", cfg.phone_number_id,
           "), queries on http://", opts.sim_query_bind, ":", query.port(),
           ", webhooks to ",
           cfg.webhook_url.empty() ? "nowhere" : cfg.webhook_url);
  while (!stop_requested().load())
    sleep_unless_stopped(200);
  parts.inbound->stop();
  graph.stop();
  query.stop();
  parts.webhooks->stop();
  log_info(opts.node_id, "Cloud API simulator stopped");
  return 0;
}

} // namespace mc
