#include "runtime/store/cloud_store.hpp"

#include <pqxx/pqxx>

#include "runtime/store/pg_array.hpp"

namespace mc {

namespace {

constexpr const char* fence_sql
  = "SELECT epoch FROM shard_map WHERE shard_id = $1";

constexpr const char* wamids_of_sql
  = "SELECT id, wamid FROM cloud_messages WHERE id = ANY($1::text[])";

constexpr const char* record_wamid_sql
  = "INSERT INTO cloud_messages (id, wamid, shard_id, recipient) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";

constexpr const char* message_of_sql
  = "SELECT id, recipient FROM cloud_messages WHERE wamid = $1";

constexpr const char* record_media_sql
  = "INSERT INTO cloud_media (id, cloud_id) VALUES ($1, $2) "
    "ON CONFLICT (id) DO UPDATE SET cloud_id = EXCLUDED.cloud_id";

constexpr const char* media_of_sql
  = "SELECT id, cloud_id FROM cloud_media WHERE id = ANY($1::text[])";

constexpr const char* record_gateway_sql
  = "INSERT INTO cloud_gateway (node_id, status) VALUES ($1, $2) "
    "ON CONFLICT (node_id) DO UPDATE SET status = EXCLUDED.status, "
    "updated_at = now()";

constexpr const char* gateways_sql
  = "SELECT node_id, status FROM cloud_gateway";

constexpr const char* prune_sql
  = "DELETE FROM cloud_messages WHERE id IN (SELECT id FROM cloud_messages "
    "WHERE created_at < now() - make_interval(secs => $1) "
    "ORDER BY created_at LIMIT $2)";

std::map<std::string, std::string>
pairs_of(pqxx::connection& conn, const char* sql,
         const std::vector<std::string>& ids) {
  std::map<std::string, std::string> out;
  if (ids.empty())
    return out;
  pqxx::read_transaction tx{conn};
  for (auto row : tx.exec_params(sql, text_array(ids)))
    out.emplace(row[0].as<std::string>(), row[1].as<std::string>());
  return out;
}

} // namespace

bool cloud_fence_holds(pqxx::connection& conn, int32_t shard, int64_t epoch) {
  pqxx::read_transaction tx{conn};
  auto r = tx.exec_params(fence_sql, shard);
  return !r.empty() && r[0][0].as<int64_t>() == epoch;
}

std::map<std::string, std::string>
cloud_wamids_of(pqxx::connection& conn, const std::vector<std::string>& ids) {
  return pairs_of(conn, wamids_of_sql, ids);
}

void record_cloud_wamid(pqxx::connection& conn, const std::string& id,
                        const std::string& wamid, int32_t shard,
                        const std::string& recipient) {
  pqxx::work tx{conn};
  tx.exec_params(record_wamid_sql, id, wamid, shard, recipient);
  tx.commit();
}

std::optional<cloud_sent> cloud_message_of(pqxx::connection& conn,
                                           const std::string& wamid) {
  pqxx::read_transaction tx{conn};
  auto r = tx.exec_params(message_of_sql, wamid);
  if (r.empty())
    return std::nullopt;
  return cloud_sent{r[0][0].as<std::string>(), r[0][1].as<std::string>()};
}

void record_cloud_media(pqxx::connection& conn, const std::string& id,
                        const std::string& cloud_id) {
  pqxx::work tx{conn};
  tx.exec_params(record_media_sql, id, cloud_id);
  tx.commit();
}

std::map<std::string, std::string>
cloud_media_of(pqxx::connection& conn, const std::vector<std::string>& ids) {
  return pairs_of(conn, media_of_sql, ids);
}

void record_cloud_gateway(pqxx::connection& conn, const std::string& node_id,
                          const std::string& status) {
  pqxx::work tx{conn};
  tx.exec_params(record_gateway_sql, node_id, status);
  tx.commit();
}

std::map<std::string, std::string> cloud_gateways(pqxx::connection& conn) {
  std::map<std::string, std::string> out;
  pqxx::read_transaction tx{conn};
  for (auto row : tx.exec(gateways_sql))
    out.emplace(row[0].as<std::string>(), row[1].as<std::string>());
  return out;
}

int64_t prune_cloud_messages(pqxx::connection& conn, int64_t age_s,
                             size_t limit) {
  pqxx::work tx{conn};
  auto r = tx.exec_params(prune_sql, age_s, static_cast<int64_t>(limit));
  tx.commit();
  return static_cast<int64_t>(r.affected_rows());
}

} // namespace mc
