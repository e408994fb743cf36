#include "runtime/store/db_stats_store.hpp"

namespace mc {

namespace {

constexpr const char* totals_sql
  = "SELECT (SELECT count(*) FROM messages),"
    " (SELECT count(*) FROM messages WHERE status = 'accepted'),"
    " (SELECT count(*) FROM callbacks),"
    " (SELECT count(*) FROM callbacks WHERE kind = 'status')";

constexpr const char* by_shard_sql
  = "SELECT shard_id, sum(m), sum(c) FROM ("
    "  SELECT shard_id, count(*) AS m, 0 AS c FROM messages"
    "   WHERE status = 'accepted' GROUP BY shard_id"
    "  UNION ALL"
    "  SELECT shard_id, 0, count(*) FROM callbacks GROUP BY shard_id"
    " ) t GROUP BY shard_id ORDER BY shard_id";

constexpr const char* callbacks_by_owner_sql
  = "SELECT m.owner, count(c.id) FROM shard_map m"
    " LEFT JOIN callbacks c ON c.shard_id = m.shard_id"
    " WHERE m.owner IS NOT NULL GROUP BY m.owner";

} // namespace

db_figures load_db_figures(pqxx::connection& conn) {
  // One repeatable-read snapshot: the totals and the per-shard view agree.
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx{conn};
  db_figures f;
  auto t = tx.exec1(totals_sql);
  f.messages = t[0].as<int64_t>();
  f.pending_messages = t[1].as<int64_t>();
  f.pending_callbacks = t[2].as<int64_t>();
  f.message_receipts = t[3].as<int64_t>();
  for (auto r : tx.exec(by_shard_sql))
    f.pending_by_shard[r[0].as<int32_t>()] = {r[1].as<int64_t>(),
                                              r[2].as<int64_t>()};
  return f;
}

std::map<std::string, int64_t> callbacks_by_owner(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  std::map<std::string, int64_t> out;
  for (auto r : tx.exec(callbacks_by_owner_sql))
    out[r[0].as<std::string>()] = r[1].as<int64_t>();
  return out;
}

} // namespace mc
