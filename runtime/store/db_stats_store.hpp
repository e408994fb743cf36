#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <pqxx/pqxx>

namespace mc {

// The figures of GET /v1/stats/db and the database part of
// GET /v1/stats/app (callback_queue_size), read across the messages,
// callbacks and shard_map tables. Exact counts, as the reference warns
// (https://developers.secure.facebook.com/docs/whatsapp/api/stats/db:
// "Checking the database stats can take a long time ... if your database
// is large").

/// The cluster-wide figures.
struct db_figures {
  int64_t messages = 0;          ///< every stored outgoing message
  int64_t pending_messages = 0;  ///< accepted, not acknowledged upstream
  int64_t pending_callbacks = 0; ///< webhook callbacks not delivered
  int64_t message_receipts = 0;  ///< status callbacks not delivered
  /// Per shard: pending messages and pending callbacks (the internal view).
  std::map<int32_t, std::pair<int64_t, int64_t>> pending_by_shard;
};

/// Reads the figures in one snapshot.
db_figures load_db_figures(pqxx::connection& conn);

/// Pending callbacks by the node owning their shard (callback_queue_size
/// of each coreapp).
std::map<std::string, int64_t> callbacks_by_owner(pqxx::connection& conn);

} // namespace mc
