#include "runtime/store/retention_store.hpp"

#include <pqxx/pqxx>

namespace mc {

namespace {

constexpr const char* depth_sql
  = "SELECT count(*) FROM (SELECT 1 FROM callbacks LIMIT $1) q";

constexpr const char* expire_callbacks_sql
  = "DELETE FROM callbacks WHERE id IN (SELECT id FROM callbacks"
    " WHERE created_at < now() - make_interval(secs => $1::double precision)"
    " ORDER BY created_at LIMIT $2)";

constexpr const char* prune_posted_sql
  = "DELETE FROM callbacks_posted WHERE dedup_key IN (SELECT dedup_key"
    " FROM callbacks_posted"
    " WHERE posted_at < now() - make_interval(secs => $1::double precision)"
    " ORDER BY posted_at LIMIT $2)";

constexpr const char* prune_messages_sql
  = "DELETE FROM messages WHERE id IN (SELECT id FROM messages"
    " WHERE status <> 'accepted'"
    " AND accepted_at < now() - make_interval(secs => $1::double precision)"
    " ORDER BY accepted_at LIMIT $2)";

} // namespace

int64_t callback_queue_depth(pqxx::connection& conn, int64_t cap) {
  pqxx::nontransaction tx{conn};
  return tx.exec_params1(depth_sql, cap)[0].as<int64_t>();
}

int64_t expire_callbacks(pqxx::connection& conn, int64_t max_age_s,
                         int64_t batch) {
  pqxx::nontransaction tx{conn};
  return tx.exec_params(expire_callbacks_sql, max_age_s, batch)
    .affected_rows();
}

int64_t prune_posted_keys(pqxx::connection& conn, int64_t window_s,
                          int64_t batch) {
  pqxx::nontransaction tx{conn};
  return tx.exec_params(prune_posted_sql, window_s, batch).affected_rows();
}

int64_t prune_messages(pqxx::connection& conn, int64_t retention_s,
                       int64_t batch) {
  pqxx::nontransaction tx{conn};
  return tx.exec_params(prune_messages_sql, retention_s, batch)
    .affected_rows();
}

} // namespace mc
