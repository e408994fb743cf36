#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace mc {

// The `inbound_messages` table (schema/008_inbound.sql): who sent each
// inbound message, for the mark-as-read route.

namespace inbound_sql {

constexpr const char* insert_head
  = "INSERT INTO inbound_messages (id, sender, shard_id) VALUES ";

/// The upstream may push a message again (to the shard's next session):
/// the first row stays.
constexpr const char* insert_tail = " ON CONFLICT (id) DO NOTHING";

/// The sender of a message received in the last 7 days (the reference's
/// retention of inbound messages).
constexpr const char* sender
  = "SELECT sender FROM inbound_messages "
    "WHERE id = $1 AND received_at > now() - interval '7 days'";

} // namespace inbound_sql

/// Records that `shard` received messages `ids` from `senders` (pairwise),
/// in one statement.
void record_inbound(pqxx::connection& conn, int32_t shard,
                    const std::vector<std::string>& ids,
                    const std::vector<std::string>& senders);

/// The sender of inbound message `id`, or nullopt when no such message was
/// received in the last 7 days.
std::optional<std::string> inbound_sender(pqxx::connection& conn,
                                          const std::string& id);

} // namespace mc
