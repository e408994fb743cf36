#pragma once

/// What the Cloud API simulator is started with (role cloud-sim).

#include <cstddef>
#include <string>

namespace mc {

/// The simulated business number, its limits and its webhook.
struct cloud_sim_config {
  std::string phone_number_id = "106540352242922";
  std::string display_phone_number = "15550783881";
  std::string waba_id = "102290129340398";
  /// File whose first line is the valid access token (re-read on change).
  std::string token_file;
  /// The app secret that signs webhooks (X-Hub-Signature-256).
  std::string app_secret;
  /// hub.verify_token of the webhook verification request.
  std::string verify_token;
  /// Where webhooks go (http or https); empty: nowhere (counted as queued).
  std::string webhook_url;
  /// CA file that the webhook receiver's certificate must chain to.
  std::string webhook_ca;
  /// Per-number throughput: tokens per second and bucket size.
  int mps = 80;
  int mps_burst = 20;
  /// Pair rate: messages per minute to one recipient and bucket size.
  int pair_per_min = 10;
  int pair_burst = 45;
  /// Delays of the delivered and read statuses; read 0 = never.
  int delivered_ms = 200;
  int read_ms = 1000;
  /// Events per webhook POST, attempts per POST, first retry delay.
  int webhook_batch = 10;
  int webhook_retries = 8;
  int webhook_backoff_ms = 200;
  /// Events waiting (queued or scheduled) before sends answer 503.
  size_t webhook_queue_cap = 10000;
  /// Sent messages kept for queries (a ring).
  size_t messages_cap = 100000;
  /// Bytes of media held (uploads beyond it are refused).
  size_t media_cap_bytes = 256u << 20;
  /// Random inbound traffic: messages per second from `users` users.
  double inbound_rate = 0;
  int users = 100;
};

} // namespace mc
