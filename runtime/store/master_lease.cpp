#include "runtime/store/master_lease.hpp"

namespace mc {

std::optional<int64_t> try_acquire_lease(pqxx::connection& conn,
                                         const std::string& node_id,
                                         int ttl_ms) {
  pqxx::work tx{conn};
  // Expiry is judged by the database clock only, so clock skew between
  // nodes cannot make two masters believe they hold the lease.
  auto r = tx.exec_params(
    "UPDATE master_lease SET holder = $1, epoch = epoch + 1,"
    " expires_at = now() + make_interval(secs => $2::double precision / 1000) "
    "WHERE id = 1 AND (holder IS NULL OR expires_at < now()) "
    "RETURNING epoch",
    node_id, ttl_ms);
  tx.commit();
  if (r.empty())
    return std::nullopt;
  return r[0][0].as<int64_t>();
}

bool renew_lease(pqxx::connection& conn, const std::string& node_id,
                 int64_t epoch, int ttl_ms) {
  pqxx::work tx{conn};
  auto r = tx.exec_params(
    "UPDATE master_lease SET"
    " expires_at = now() + make_interval(secs => $3::double precision / 1000) "
    "WHERE id = 1 AND holder = $1 AND epoch = $2 AND expires_at >= now()",
    node_id, epoch, ttl_ms);
  tx.commit();
  return r.affected_rows() == 1;
}

void release_lease(pqxx::connection& conn, const std::string& node_id,
                   int64_t epoch) {
  pqxx::work tx{conn};
  tx.exec_params("UPDATE master_lease SET holder = NULL, expires_at = now() "
                 "WHERE id = 1 AND holder = $1 AND epoch = $2",
                 node_id, epoch);
  tx.commit();
}

lease_state read_lease(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  auto row = tx.exec1(
    "SELECT coalesce(holder, ''), epoch,"
    " (extract(epoch FROM (expires_at - now())) * 1000)::bigint "
    "FROM master_lease WHERE id = 1");
  return {row[0].as<std::string>(), row[1].as<int64_t>(),
          row[2].as<int64_t>()};
}

} // namespace mc
