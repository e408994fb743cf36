#include "runtime/store/callback_store.hpp"

#include "runtime/store/pg_array.hpp"

namespace mc {

namespace {

constexpr const char* insert_head
  = "INSERT INTO callbacks (shard_id, kind, payload, dedup_key) "
    "SELECT v.shard_id, v.kind, v.payload::jsonb, v.dedup_key FROM (VALUES ";

/// A redelivered push finds its event queued already (schema/010) or
/// posted lately (schema/015).
constexpr const char* insert_tail
  = ") AS v(shard_id, kind, payload, dedup_key) "
    "WHERE v.dedup_key IS NULL OR NOT EXISTS (SELECT 1 FROM callbacks_posted "
    "p WHERE p.dedup_key = v.dedup_key) "
    "ON CONFLICT (dedup_key) DO NOTHING";

/// Fenced like the group commit: only shards the map gives to `owner` now.
/// A deposed owner that still reaches the database (cut off from the
/// cluster only) finds nothing to post for the shard that moved.
constexpr const char* due_sql
  = "SELECT c.id, c.kind, c.payload::text, c.attempts FROM callbacks c "
    "JOIN shard_map m ON m.shard_id = c.shard_id AND m.owner = $3 "
    "WHERE c.shard_id = ANY($1::int[]) AND c.due_at <= now() "
    "ORDER BY c.id LIMIT $2";

/// The keys of the rows it deletes stay behind (schema/015), so that an
/// event pushed again after its post is not queued again.
constexpr const char* delete_sql
  = "WITH d AS (DELETE FROM callbacks WHERE id = ANY($1::bigint[]) "
    "RETURNING dedup_key) "
    "INSERT INTO callbacks_posted (dedup_key) SELECT dedup_key FROM d "
    "WHERE dedup_key IS NOT NULL ON CONFLICT (dedup_key) DO NOTHING";

constexpr const char* retry_sql
  = "UPDATE callbacks SET attempts = attempts + 1,"
    " due_at = now() + make_interval(secs => $2::double precision / 1000) "
    "WHERE id = ANY($1::bigint[])";

} // namespace

void insert_callbacks(pqxx::connection& conn, int32_t shard,
                      const std::vector<callback_event>& events) {
  pqxx::work tx{conn};
  std::string sql = insert_head;
  for (size_t i = 0; i < events.size(); ++i) {
    auto& e = events[i];
    if (i > 0)
      sql += ',';
    // Typed in the first row: VALUES of NULL keys alone would be of no
    // type to compare with.
    sql += "(" + std::to_string(shard) + "," + tx.quote(e.kind) + ","
           + tx.quote(e.payload) + ","
           + (e.key.empty() ? std::string{"NULL"} : tx.quote(e.key))
           + (i == 0 ? "::text)" : ")");
  }
  if (!events.empty())
    tx.exec(sql + insert_tail);
  tx.commit();
}

std::string status_key(const std::string& id, const std::string& status) {
  return "status:" + id + ":" + status;
}

std::string message_key(const std::string& id) {
  return "message:" + id;
}

std::vector<callback_row> due_callbacks(pqxx::connection& conn,
                                        const std::string& owner,
                                        const std::vector<int32_t>& shards,
                                        int limit) {
  pqxx::read_transaction tx{conn};
  std::vector<callback_row> out;
  for (auto row : tx.exec_params(due_sql, number_array(shards), limit, owner))
    out.push_back({row[0].as<int64_t>(), row[1].as<std::string>(),
                   row[2].as<std::string>(), row[3].as<int>()});
  return out;
}

void delete_callbacks(pqxx::connection& conn, const std::vector<int64_t>& ids) {
  pqxx::work tx{conn};
  tx.exec_params(delete_sql, number_array(ids));
  tx.commit();
}

void retry_callbacks(pqxx::connection& conn, const std::vector<int64_t>& ids,
                     int64_t delay_ms) {
  pqxx::work tx{conn};
  tx.exec_params(retry_sql, number_array(ids), delay_ms);
  tx.commit();
}

} // namespace mc
