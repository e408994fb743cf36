#include "runtime/store/inbound_store.hpp"

#include <algorithm>

namespace mc {

void record_inbound(pqxx::connection& conn, int32_t shard,
                    const std::vector<std::string>& ids,
                    const std::vector<std::string>& senders) {
  auto n = std::min(ids.size(), senders.size());
  if (n == 0)
    return;
  pqxx::nontransaction tx{conn};
  std::string sql = inbound_sql::insert_head;
  auto s = std::to_string(shard);
  for (size_t i = 0; i < n; ++i) {
    if (i > 0)
      sql += ',';
    sql += "(" + tx.quote(ids[i]) + "," + tx.quote(senders[i]) + "," + s + ")";
  }
  sql += inbound_sql::insert_tail;
  tx.exec(sql);
}

std::optional<std::string> inbound_sender(pqxx::connection& conn,
                                          const std::string& id) {
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params(inbound_sql::sender, id);
  if (rows.empty())
    return std::nullopt;
  return rows[0][0].as<std::string>();
}

} // namespace mc
