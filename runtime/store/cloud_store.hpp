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

/// A Cloud status whose wamid was not recorded when it came (schema/
/// 014_cloud_intake.sql).
struct cloud_waiting_status {
  std::string wamid;
  std::string status;
  /// The key the user is routed by (routing_key(), cloud_user_id.hpp).
  std::string routing_key;
  std::string recipient;
  std::string user_id;
  int64_t timestamp = 0;
  int32_t error_code = 0;
  std::string error_title;
};

/// A waiting status whose wamid is recorded now, with our id and the
/// recipient of that send.
struct cloud_matched_status {
  cloud_waiting_status waiting;
  std::string id;
  std::string sent_recipient;
};

/// Keeps `xs` until their wamids are recorded. Idempotent per (wamid,
/// status).
void park_cloud_statuses(pqxx::connection& conn,
                         const std::vector<cloud_waiting_status>& xs);

/// Up to `limit` waiting statuses whose wamid is recorded now, oldest first.
std::vector<cloud_matched_status>
matched_cloud_statuses(pqxx::connection& conn, size_t limit);

/// Deletes the waiting statuses `keys` (wamid, status): their shard
/// persisted them.
void forget_cloud_statuses(
  pqxx::connection& conn,
  const std::vector<std::pair<std::string, std::string>>& keys);

/// How many statuses wait for their wamid.
int64_t waiting_cloud_statuses(pqxx::connection& conn);

/// Deletes up to `limit` waiting statuses older than `age_s` seconds (their
/// wamid never came); returns how many went.
int64_t prune_cloud_waiting(pqxx::connection& conn, int64_t age_s,
                            size_t limit);

/// Records that each BSUID of `pairs` (user id -> phone) belongs to its
/// phone number (the newest wins).
void record_cloud_users(pqxx::connection& conn,
                        const std::map<std::string, std::string>& pairs);

/// The phone numbers recorded for `user_ids` (user id -> phone).
std::map<std::string, std::string>
cloud_phones_of(pqxx::connection& conn,
                const std::vector<std::string>& user_ids);

/// Deletes up to `limit` wamid records older than `age_s` seconds; returns
/// how many went.
int64_t prune_cloud_messages(pqxx::connection& conn, int64_t age_s,
                             size_t limit);

} // namespace mc
