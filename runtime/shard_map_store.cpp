#include "runtime/shard_map_store.hpp"

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
    "UPDATE shard_map SET owner = nullif($1, ''), epoch = epoch + 1 "
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

std::string load_account(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  auto r = tx.exec1("SELECT coalesce(cc, ''), coalesce(phone_number, '') "
                    "FROM cluster WHERE id = 1");
  auto account = r[0].as<std::string>() + r[1].as<std::string>();
  return account.empty() ? "default" : account;
}

} // namespace mc
