#include "runtime/store/master_lease.hpp"

namespace mc {

namespace {

// The `master_lease` row's statements. Whether the lease is live is decided
// by mc_lease_live (schema/003_rules.sql) only: taking it needs it not live,
// renewing it needs it live, so at every instant exactly one can succeed.

constexpr const char* acquire_sql
  = "UPDATE master_lease SET holder = $1, epoch = epoch + 1,"
    " expires_at = now() + make_interval(secs => $2::double precision / 1000) "
    "WHERE id = 1 AND (holder IS NULL OR NOT mc_lease_live(expires_at)) "
    "RETURNING epoch";

constexpr const char* renew_sql
  = "UPDATE master_lease SET"
    " expires_at = now() + make_interval(secs => $3::double precision / 1000) "
    "WHERE id = 1 AND holder = $1 AND epoch = $2 AND mc_lease_live(expires_at)";

constexpr const char* release_sql
  = "UPDATE master_lease SET holder = NULL, expires_at = now() "
    "WHERE id = 1 AND holder = $1 AND epoch = $2";

constexpr const char* read_sql
  = "SELECT coalesce(holder, ''), epoch,"
    " (extract(epoch FROM (expires_at - now())) * 1000)::bigint,"
    " mc_lease_live(expires_at) "
    "FROM master_lease WHERE id = 1";

} // namespace

std::optional<int64_t> try_acquire_lease(pqxx::connection& conn,
                                         const std::string& node_id,
                                         int ttl_ms) {
  pqxx::work tx{conn};
  // Expiry is judged by the database clock only, so clock skew between
  // nodes cannot make two masters believe they hold the lease.
  auto r = tx.exec_params(acquire_sql, node_id, ttl_ms);
  tx.commit();
  if (r.empty())
    return std::nullopt;
  return r[0][0].as<int64_t>();
}

bool renew_lease(pqxx::connection& conn, const std::string& node_id,
                 int64_t epoch, int ttl_ms) {
  pqxx::work tx{conn};
  auto r = tx.exec_params(renew_sql, node_id, epoch, ttl_ms);
  tx.commit();
  return r.affected_rows() == 1;
}

void release_lease(pqxx::connection& conn, const std::string& node_id,
                   int64_t epoch) {
  pqxx::work tx{conn};
  tx.exec_params(release_sql, node_id, epoch);
  tx.commit();
}

lease_state read_lease(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  auto row = tx.exec1(read_sql);
  return {row[0].as<std::string>(), row[1].as<int64_t>(),
          row[2].as<int64_t>(), row[3].as<bool>()};
}

} // namespace mc
