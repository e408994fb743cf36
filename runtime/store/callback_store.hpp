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

/// Queues callbacks of `shard`, pairwise from `kinds` and `payloads`, in
/// one transaction.
void insert_callbacks(pqxx::connection& conn, int32_t shard,
                      const std::vector<std::string>& kinds,
                      const std::vector<std::string>& payloads);

/// Up to `limit` callbacks of `shards` that are due, oldest first.
std::vector<callback_row> due_callbacks(pqxx::connection& conn,
                                        const std::vector<int32_t>& shards,
                                        int limit);

/// Removes delivered callbacks.
void delete_callbacks(pqxx::connection& conn, const std::vector<int64_t>& ids);

/// Counts a failed attempt for `ids` and makes them due again after
/// `delay_ms`.
void retry_callbacks(pqxx::connection& conn, const std::vector<int64_t>& ids,
                     int64_t delay_ms);

} // namespace mc
