#include "runtime/store/message_store.hpp"

#include "runtime/message_payload.hpp"

namespace mc {

void mark_sent(pqxx::connection& conn, const std::vector<std::string>& ids) {
  if (ids.empty())
    return;
  pqxx::nontransaction tx{conn};
  std::string sql = message_sql::mark_sent_head;
  sql.reserve(sql.size() + ids.size() * 32);
  bool first = true;
  for (auto& id : ids) {
    if (!first)
      sql += ',';
    first = false;
    sql += tx.quote(id);
  }
  sql += ')';
  tx.exec(sql);
}

std::vector<message_row> pending_messages(pqxx::connection& conn,
                                          int32_t shard) {
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params(message_sql::pending, shard);
  std::vector<message_row> out;
  out.reserve(rows.size());
  for (auto row : rows) {
    // Rows from before schema version 4 have a body and no payload.
    auto payload = row[3].is_null() ? text_payload(row[4].as<std::string>())
                                    : row[3].as<std::string>();
    out.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                   std::move(payload), row[2].as<std::string>()});
  }
  return out;
}

} // namespace mc
