#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>

namespace mc {

// The `cloud_messages` and `cloud_media` tables (schema/011_cloud.sql): what
// the Cloud API relay must remember across nodes and failovers.

/// A message the Cloud API took: our id and the recipient it went to.
struct cloud_sent {
  std::string id;
  std::string recipient;
};

/// Whether `epoch` is still the epoch of `shard` in the shard map: a
/// deposed owner learns here, before each call, that it must not call the
/// Cloud API for that shard any more.
bool cloud_fence_holds(pqxx::connection& conn, int32_t shard, int64_t epoch);

/// The wamids already recorded for `ids` (id -> wamid): those were taken by
/// the Cloud API and are never sent again.
std::map<std::string, std::string>
cloud_wamids_of(pqxx::connection& conn, const std::vector<std::string>& ids);

/// Records that the Cloud API took message `id` as `wamid`. Idempotent.
void record_cloud_wamid(pqxx::connection& conn, const std::string& id,
                        const std::string& wamid, int32_t shard,
                        const std::string& recipient);

/// Our message for a wamid; nullopt when none is recorded (yet).
std::optional<cloud_sent> cloud_message_of(pqxx::connection& conn,
                                           const std::string& wamid);

/// Records the Cloud media id of our media `id`. Idempotent.
void record_cloud_media(pqxx::connection& conn, const std::string& id,
                        const std::string& cloud_id);

/// The Cloud media ids recorded for `ids` (ours -> theirs).
std::map<std::string, std::string>
cloud_media_of(pqxx::connection& conn, const std::vector<std::string>& ids);

/// Records the Cloud API gateway status of coreapp `node_id`.
void record_cloud_gateway(pqxx::connection& conn, const std::string& node_id,
                          const std::string& status);

/// The recorded gateway status of every relaying coreapp (node id ->
/// status).
std::map<std::string, std::string> cloud_gateways(pqxx::connection& conn);

/// Deletes up to `limit` wamid records older than `age_s` seconds; returns
/// how many went.
int64_t prune_cloud_messages(pqxx::connection& conn, int64_t age_s,
                             size_t limit);

} // namespace mc
