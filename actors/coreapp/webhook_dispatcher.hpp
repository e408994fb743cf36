#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/coreapp/coreapp_stats.hpp"
#include "runtime/settings_cache.hpp"
#include "runtime/store/db_connection.hpp"

namespace mc {

/// Settings of a webhook dispatcher.
struct webhook_dispatcher_config {
  std::string node_id;
  std::string db_uri;
  /// The coreapp node whose shards' callbacks this dispatcher delivers.
  caf::actor node;
  std::shared_ptr<settings_cache> settings;
  /// How often due callbacks are looked for.
  std::chrono::milliseconds poll{50};
  /// Callbacks per webhook POST.
  int batch = 200;
  /// The node's in-memory counters (callback_requests); may be null.
  std::shared_ptr<coreapp_stats> stats;
};

/// State of a webhook dispatcher: delivers the persisted callbacks of the
/// shards its node owns, retrying failures with the On-Prem backoff.
struct webhook_dispatcher_state {
  static inline const char* name = "webhook_dispatcher";
  webhook_dispatcher_config cfg;
  db_connection db;
  /// Callbacks posted whose delete has not committed yet (the database
  /// failed meanwhile): deleted before any are read as due again, so they
  /// are not posted twice.
  std::vector<int64_t> posted;
  uint64_t delivered = 0;
  uint64_t failed_posts = 0;
  ~webhook_dispatcher_state();
};

/// Spawn detached: it blocks on the database and on HTTP.
caf::behavior webhook_dispatcher(
  caf::stateful_actor<webhook_dispatcher_state>* self,
  webhook_dispatcher_config cfg);

/// Posts `body` to `url`: nullopt when the webhook answered 200, else why
/// not (for the log). Exposed for tests.
std::optional<std::string> post_webhook(const std::string& url,
                                        const std::string& body,
                                        std::chrono::milliseconds timeout);

} // namespace mc
