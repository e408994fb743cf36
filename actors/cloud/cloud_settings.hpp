#pragma once

#include <string>

namespace mc {

/// How a node reaches the Cloud API (the `--cloud-*` flags).
struct cloud_settings {
  /// The coreapp node this relay runs in (its gateway status row).
  std::string node_id;
  /// Scheme, host and port of the Graph API, e.g. https://graph.facebook.com.
  std::string url = "https://graph.facebook.com";
  std::string api_version = "v23.0";
  std::string phone_number_id;
  /// A file holding the access token; re-read when it changes.
  std::string token_file;
  /// CA bundle for a private Cloud endpoint (the local simulator); empty:
  /// the system's trust store.
  std::string ca_file;
  /// The phone number's throughput, msg/s for the whole cluster.
  int mps = 80;
  /// First wait after a pair rate limit (131056), doubling up to a minute:
  /// the Cloud API paces one user at about one message every 6 s.
  int pair_backoff_ms = 6000;
  /// Parallel HTTP connections per coreapp node.
  int connections = 8;
};

} // namespace mc
