#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace mc {

// The `callbacks` table: the persisted webhook queue.

/// One queued callback as the dispatcher reads it.
struct callback_row {
  int64_t id = 0;
  std::string kind;    ///< "status" or "message"
  std::string payload; ///< the stored JSON (runtime/callback_payload)
  int attempts = 0;
};

/// One callback to queue.
struct callback_event {
  std::string kind;    ///< "status" or "message"
  std::string payload; ///< the JSON to store
  /// The event's identity (status_key, message_key): a second event with a
  /// key still queued is not queued again. Empty: never deduplicated.
  std::string key{};
};

/// Queues callbacks of `shard` in one transaction; events whose key is
/// queued already (schema/010_callback_dedup.sql) or was posted within the
/// dedup window (schema/015_callback_posted.sql) are skipped.
void insert_callbacks(pqxx::connection& conn, int32_t shard,
                      const std::vector<callback_event>& events);

/// The key of status `status` of message `id`.
std::string status_key(const std::string& id, const std::string& status);

/// The key of inbound message `id`.
std::string message_key(const std::string& id);

/// Up to `limit` callbacks of `shards` that are due, oldest first, of the
/// shards that the shard map gives to `owner` now (the fence of a deposed
/// owner that still reaches the database).
std::vector<callback_row> due_callbacks(pqxx::connection& conn,
                                        const std::string& owner,
                                        const std::vector<int32_t>& shards,
                                        int limit);

/// Removes delivered callbacks and keeps their keys (callbacks_posted)
/// until the dedup window prunes them.
void delete_callbacks(pqxx::connection& conn, const std::vector<int64_t>& ids);

/// Counts a failed attempt for `ids` and makes them due again after
/// `delay_ms`.
void retry_callbacks(pqxx::connection& conn, const std::vector<int64_t>& ids,
                     int64_t delay_ms);

} // namespace mc
