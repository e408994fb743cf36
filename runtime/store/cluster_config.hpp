#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <pqxx/pqxx>

#include "runtime/app_settings.hpp"

namespace mc {

// The `cluster` row (id = 1): account, shard count, secrets, settings, a
// pending shard-count change. Every read or write of it is in this store
// (the shard-count change itself, which rewrites the map too, is
// commit_reshard in shard_map_store).

/// The account registered with POST /v1/account.
struct registered_account {
  std::string cc;
  std::string phone_number;
  std::string cert;
  std::string pin_hash; ///< empty without two-step verification
  int32_t shards = 1;
};

/// The secrets every webapp shares.
struct cluster_secrets {
  std::string token_secret; ///< signs API tokens
  std::string api_key;      ///< monitoring routes
  /// The token secret before the last rotation, "" when none is in its
  /// overlap (deploy/rotate-secrets, schema/012_secret_rotation.sql).
  std::string previous_token_secret;
  /// How much longer the previous secret verifies tokens, measured by the
  /// database's clock at the read (0 when there is none).
  int64_t previous_valid_ms = 0;
};

/// Reads the application settings.
app_settings load_settings(pqxx::connection& conn);

/// Read-modify-write of the settings under a row lock, so concurrent
/// updates on two webapps do not lose each other's fields. `patch` gets the
/// stored settings and returns the new ones, or nullopt to change nothing.
/// Returns what `patch` returned.
std::optional<app_settings>
update_settings(pqxx::connection& conn,
                const std::function<std::optional<app_settings>(const app_settings&)>& patch);

/// The account name a shard session logs in with: "<cc><phone_number>", or
/// "default" before an account is registered.
std::string load_account(pqxx::connection& conn);

/// The registered account, nullopt before one is.
std::optional<registered_account> load_registered_account(pqxx::connection& conn);

/// Stores the account (an empty `pin_hash`: no two-step verification) and
/// returns the cluster's shard count.
int32_t store_account(pqxx::connection& conn, const std::string& cc,
                      const std::string& phone_number, const std::string& cert,
                      const std::string& pin_hash);

/// The cluster's shard count.
int32_t load_shard_count(pqxx::connection& conn);

/// The token secrets (current, and the previous one in its overlap) and
/// the API key.
cluster_secrets load_secrets(pqxx::connection& conn);

/// The shard count a shard-count change asked for, if one is pending.
std::optional<int32_t> pending_reshard(pqxx::connection& conn);

/// Asks the primary master to change the shard count to `shards`.
void request_reshard(pqxx::connection& conn, int32_t shards);

/// Whether the cluster runs `shards` shards, each owned, with no change
/// pending: the end of a shard-count change as a client waits for it.
bool reshard_done(pqxx::connection& conn, int32_t shards);

/// What the cluster holds, for /v1/stats and /metrics.
struct cluster_counters {
  int64_t messages_estimate = 0; ///< planner estimate: no full scan
  int64_t messages_unsent = 0;   ///< from the partial index
  int64_t callbacks_queued = 0;
  int64_t shards = 0;
  int64_t shards_unowned = 0;
  int64_t config_epoch = 0;
  int64_t master_lease_epoch = 0;
};

/// Reads the counters in one snapshot.
cluster_counters load_cluster_counters(pqxx::connection& conn);

} // namespace mc
