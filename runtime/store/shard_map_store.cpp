#include "runtime/store/shard_map_store.hpp"

#include "runtime/shard_hash.hpp"

namespace mc {

namespace {

// The `shard_map` statements. The lease fence is mc_lease_held and the
// epoch rule of new rows mc_add_missing_shards (schema/003_rules.sql).

constexpr const char* select_count_sql
  = "SELECT shards, config_epoch FROM cluster WHERE id = 1";

constexpr const char* select_map_sql
  = "SELECT s.shard_id, coalesce(s.owner, ''), s.epoch, coalesce(n.host, ''),"
    " coalesce(n.caf_port, 0) "
    "FROM shard_map s LEFT JOIN nodes n ON n.node_id = s.owner "
    "WHERE s.shard_id < (SELECT shards FROM cluster WHERE id = 1) "
    "ORDER BY s.shard_id";

// Epochs are global: every change takes the next number over all shards,
// so a session of any older map has a lower epoch than any session of a
// newer one.
constexpr const char* cas_owner_sql
  = "UPDATE shard_map SET owner = nullif($1, ''),"
    " epoch = (SELECT max(epoch) FROM shard_map) + 1 "
    "WHERE shard_id = $2 AND epoch = $3 AND mc_lease_held($4, $5) "
    "RETURNING epoch";

constexpr const char* add_missing_sql = "SELECT mc_add_missing_shards()";

/// Locks the lease row for the whole shard-count change, so a renewal or a
/// takeover waits until it committed; `lease_held_sql` then checks it in a
/// snapshot taken after the lock was granted.
constexpr const char* lock_lease_sql
  = "SELECT 1 FROM master_lease WHERE id = 1 FOR SHARE";

constexpr const char* lease_held_sql = "SELECT mc_lease_held($1, $2)";

constexpr const char* top_epoch_sql
  = "SELECT coalesce(max(epoch), 0) FROM shard_map";

constexpr const char* clear_map_sql = "DELETE FROM shard_map";

constexpr const char* new_map_sql
  = "INSERT INTO shard_map (shard_id, owner, epoch) "
    "SELECT g, NULL, $1 FROM generate_series(0, $2 - 1) g";

constexpr const char* set_count_sql
  = "UPDATE cluster SET shards = $1, config_epoch = config_epoch + 1,"
    " reshard_to = NULL WHERE id = 1";

constexpr const char* pending_messages_sql
  = "SELECT id, recipient FROM messages WHERE status = 'accepted'";

constexpr const char* queued_callbacks_sql
  = "SELECT id::text, coalesce(payload->>'recipient_id', payload->>'from')"
    " FROM callbacks";

} // namespace

shard_table load_shard_table(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  shard_table out;
  auto c = tx.exec1(select_count_sql);
  out.shards = c[0].as<int32_t>();
  out.config_epoch = c[1].as<int64_t>();
  auto rows = tx.exec(select_map_sql);
  for (auto row : rows)
    out.slots.push_back({row[0].as<int32_t>(), row[1].as<std::string>(),
                         row[2].as<int64_t>(), row[3].as<std::string>(),
                         row[4].as<int>()});
  return out;
}

std::optional<int64_t> cas_shard_owner(pqxx::connection& conn, int32_t shard,
                                       int64_t expected_epoch,
                                       const std::string& new_owner,
                                       const std::string& master,
                                       int64_t master_epoch) {
  pqxx::work tx{conn};
  auto r = tx.exec_params(cas_owner_sql, new_owner, shard, expected_epoch,
                          master, master_epoch);
  tx.commit();
  if (r.empty())
    return std::nullopt;
  return r[0][0].as<int64_t>();
}

int ensure_shard_rows(pqxx::connection& conn) {
  pqxx::work tx{conn};
  auto added = tx.exec1(add_missing_sql)[0].as<int>();
  tx.commit();
  return added;
}

namespace {

/// Moves rows of `table` (by integer or text key) to the shard of their
/// recipient under the new count, in chunks.
void rehome(pqxx::work& tx, const std::string& table, const std::string& key_type,
            const pqxx::result& rows, int32_t shards) {
  constexpr size_t chunk = 1000;
  for (size_t begin = 0; begin < rows.size(); begin += chunk) {
    std::string values;
    for (size_t i = begin; i < rows.size() && i < begin + chunk; ++i) {
      if (!values.empty())
        values += ',';
      auto recipient = rows[i][1].is_null() ? std::string{}
                                            : rows[i][1].as<std::string>();
      values += "(" + tx.quote(rows[i][0].as<std::string>()) + "::" + key_type
                + "," + std::to_string(shard_of(recipient, shards)) + ")";
    }
    tx.exec("UPDATE " + table + " t SET shard_id = v.s FROM (VALUES " + values
            + ") AS v(id, s) WHERE t.id = v.id");
  }
}

} // namespace

bool commit_reshard(pqxx::connection& conn, int32_t shards,
                    const std::string& master, int64_t master_epoch) {
  pqxx::work tx{conn};
  tx.exec(lock_lease_sql);
  if (!tx.exec_params1(lease_held_sql, master, master_epoch)[0].as<bool>())
    return false;
  // Row locks on the whole map: waits for every commit in flight that still
  // holds an old epoch, and fails every later one.
  auto top = tx.exec1(top_epoch_sql)[0].as<int64_t>();
  tx.exec(clear_map_sql);
  tx.exec_params(new_map_sql, top + 1, shards);
  tx.exec_params(set_count_sql, shards);
  rehome(tx, "messages", "text", tx.exec(pending_messages_sql), shards);
  rehome(tx, "callbacks", "bigint", tx.exec(queued_callbacks_sql), shards);
  tx.commit();
  return true;
}

} // namespace mc
