#include "runtime/store/callback_store.hpp"

namespace mc {

namespace {

constexpr const char* insert_head
  = "INSERT INTO callbacks (shard_id, kind, payload) VALUES ";

constexpr const char* due_sql
  = "SELECT id, kind, payload::text, attempts FROM callbacks "
    "WHERE shard_id = ANY($1::int[]) AND due_at <= now() "
    "ORDER BY id LIMIT $2";

constexpr const char* delete_sql
  = "DELETE FROM callbacks WHERE id = ANY($1::bigint[])";

constexpr const char* retry_sql
  = "UPDATE callbacks SET attempts = attempts + 1,"
    " due_at = now() + make_interval(secs => $2::double precision / 1000) "
    "WHERE id = ANY($1::bigint[])";

/// A PostgreSQL array literal of integers, e.g. "{1,2,3}".
template <class Int>
std::string int_array(const std::vector<Int>& xs) {
  std::string out = "{";
  for (size_t i = 0; i < xs.size(); ++i) {
    if (i > 0)
      out += ',';
    out += std::to_string(xs[i]);
  }
  return out + "}";
}

} // namespace

void insert_callbacks(pqxx::connection& conn, int32_t shard,
                      const std::vector<std::string>& kinds,
                      const std::vector<std::string>& payloads) {
  pqxx::work tx{conn};
  std::string sql = insert_head;
  for (size_t i = 0; i < kinds.size() && i < payloads.size(); ++i) {
    if (i > 0)
      sql += ',';
    sql += "(" + std::to_string(shard) + "," + tx.quote(kinds[i]) + ","
           + tx.quote(payloads[i]) + "::jsonb)";
  }
  if (!kinds.empty())
    tx.exec(sql);
  tx.commit();
}

std::vector<callback_row> due_callbacks(pqxx::connection& conn,
                                        const std::vector<int32_t>& shards,
                                        int limit) {
  pqxx::read_transaction tx{conn};
  std::vector<callback_row> out;
  for (auto row : tx.exec_params(due_sql, int_array(shards), limit))
    out.push_back({row[0].as<int64_t>(), row[1].as<std::string>(),
                   row[2].as<std::string>(), row[3].as<int>()});
  return out;
}

void delete_callbacks(pqxx::connection& conn, const std::vector<int64_t>& ids) {
  pqxx::work tx{conn};
  tx.exec_params(delete_sql, int_array(ids));
  tx.commit();
}

void retry_callbacks(pqxx::connection& conn, const std::vector<int64_t>& ids,
                     int64_t delay_ms) {
  pqxx::work tx{conn};
  tx.exec_params(retry_sql, int_array(ids), delay_ms);
  tx.commit();
}

} // namespace mc
