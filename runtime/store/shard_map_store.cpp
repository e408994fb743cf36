#include "runtime/store/shard_map_store.hpp"

#include "runtime/shard_hash.hpp"

namespace mc {

shard_table load_shard_table(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  shard_table out;
  auto c = tx.exec1("SELECT shards, config_epoch FROM cluster WHERE id = 1");
  out.shards = c[0].as<int32_t>();
  out.config_epoch = c[1].as<int64_t>();
  auto rows = tx.exec(
    "SELECT s.shard_id, coalesce(s.owner, ''), s.epoch, coalesce(n.host, ''),"
    " coalesce(n.caf_port, 0) "
    "FROM shard_map s LEFT JOIN nodes n ON n.node_id = s.owner "
    "WHERE s.shard_id < (SELECT shards FROM cluster WHERE id = 1) "
    "ORDER BY s.shard_id");
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
  auto r = tx.exec_params(
    // Epochs are global: every change takes the next number over all
    // shards, so a session of any older map has a lower epoch than any
    // session of a newer one.
    "UPDATE shard_map SET owner = nullif($1, ''),"
    " epoch = (SELECT max(epoch) FROM shard_map) + 1 "
    "WHERE shard_id = $2 AND epoch = $3 AND EXISTS ("
    " SELECT 1 FROM master_lease WHERE id = 1 AND holder = $4 AND epoch = $5"
    " AND expires_at > now()) "
    "RETURNING epoch",
    new_owner, shard, expected_epoch, master, master_epoch);
  tx.commit();
  if (r.empty())
    return std::nullopt;
  return r[0][0].as<int64_t>();
}

int ensure_shard_rows(pqxx::connection& conn) {
  pqxx::work tx{conn};
  auto r = tx.exec(
    "INSERT INTO shard_map (shard_id, owner, epoch) "
    "SELECT g, NULL, (SELECT coalesce(max(epoch), 0) + 1 FROM shard_map) "
    "FROM generate_series(0, (SELECT shards FROM cluster WHERE id = 1) - 1) g "
    "ON CONFLICT (shard_id) DO NOTHING");
  tx.commit();
  return static_cast<int>(r.affected_rows());
}

std::optional<int32_t> pending_reshard(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  auto r = tx.exec1("SELECT reshard_to FROM cluster WHERE id = 1");
  if (r[0].is_null())
    return std::nullopt;
  return r[0].as<int32_t>();
}

void request_reshard(pqxx::connection& conn, int32_t shards) {
  pqxx::work tx{conn};
  tx.exec_params("UPDATE cluster SET reshard_to = $1 WHERE id = 1", shards);
  tx.commit();
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
  auto lease = tx.exec_params(
    "SELECT 1 FROM master_lease WHERE id = 1 AND holder = $1 AND epoch = $2"
    " AND expires_at > now() FOR SHARE",
    master, master_epoch);
  if (lease.empty())
    return false;
  // Row locks on the whole map: waits for every commit in flight that still
  // holds an old epoch, and fails every later one.
  auto top = tx.exec1("SELECT coalesce(max(epoch), 0) FROM shard_map")[0]
               .as<int64_t>();
  tx.exec("DELETE FROM shard_map");
  tx.exec_params("INSERT INTO shard_map (shard_id, owner, epoch) "
                 "SELECT g, NULL, $1 FROM generate_series(0, $2 - 1) g",
                 top + 1, shards);
  tx.exec_params("UPDATE cluster SET shards = $1, config_epoch = config_epoch + 1,"
                 " reshard_to = NULL WHERE id = 1",
                 shards);
  rehome(tx, "messages", "text",
         tx.exec("SELECT id, recipient FROM messages WHERE status = 'accepted'"),
         shards);
  rehome(tx, "callbacks", "bigint",
         tx.exec("SELECT id::text, coalesce(payload->>'recipient_id',"
                 " payload->>'from') FROM callbacks"),
         shards);
  tx.commit();
  return true;
}

std::string load_account(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  auto r = tx.exec1("SELECT coalesce(cc, ''), coalesce(phone_number, '') "
                    "FROM cluster WHERE id = 1");
  auto account = r[0].as<std::string>() + r[1].as<std::string>();
  return account.empty() ? "default" : account;
}

} // namespace mc
