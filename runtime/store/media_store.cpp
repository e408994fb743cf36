#include "runtime/store/media_store.hpp"

#include <pqxx/pqxx>

namespace mc {

namespace {

// Bytes go as a binary parameter (pqxx sends binarystring unescaped).
constexpr const char* insert_media_sql
  = "INSERT INTO media (id, mime_type, sha256, size, bytes, expires_at) "
    "VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) "
    "ON CONFLICT (id) DO NOTHING";

constexpr const char* find_media_sql
  = "SELECT mime_type, sha256, size, bytes FROM media "
    "WHERE id = $1 AND expires_at > now()";

constexpr const char* find_media_info_sql
  = "SELECT mime_type, sha256, size FROM media "
    "WHERE id = $1 AND expires_at > now()";

constexpr const char* delete_media_sql
  = "DELETE FROM media WHERE id = $1 AND expires_at > now()";

constexpr const char* prune_media_sql
  = "DELETE FROM media WHERE id IN (SELECT id FROM media "
    "WHERE expires_at <= now() ORDER BY expires_at LIMIT $1)";

} // namespace

bool insert_media(pqxx::connection& conn, const media_info& info,
                  std::string_view bytes, int64_t ttl_s) {
  pqxx::work tx{conn};
  auto r = tx.exec_params(insert_media_sql, info.id, info.mime_type,
                          info.sha256, static_cast<int64_t>(bytes.size()),
                          pqxx::binarystring{bytes.data(), bytes.size()},
                          ttl_s);
  tx.commit();
  return r.affected_rows() == 1;
}

std::optional<media_blob> find_media(pqxx::connection& conn,
                                     const std::string& id) {
  pqxx::read_transaction tx{conn};
  auto r = tx.exec_params(find_media_sql, id);
  if (r.empty())
    return std::nullopt;
  return media_blob{media_info{id, r[0][0].as<std::string>(),
                               r[0][1].as<std::string>(),
                               r[0][2].as<int64_t>()},
                    pqxx::binarystring{r[0][3]}};
}

std::optional<media_info> find_media_info(pqxx::connection& conn,
                                          const std::string& id) {
  pqxx::read_transaction tx{conn};
  auto r = tx.exec_params(find_media_info_sql, id);
  if (r.empty())
    return std::nullopt;
  return media_info{id, r[0][0].as<std::string>(), r[0][1].as<std::string>(),
                    r[0][2].as<int64_t>()};
}

bool delete_media(pqxx::connection& conn, const std::string& id) {
  pqxx::work tx{conn};
  auto r = tx.exec_params(delete_media_sql, id);
  tx.commit();
  return r.affected_rows() == 1;
}

int64_t prune_expired_media(pqxx::connection& conn, size_t limit) {
  pqxx::work tx{conn};
  auto r = tx.exec_params(prune_media_sql, static_cast<int64_t>(limit));
  tx.commit();
  return static_cast<int64_t>(r.affected_rows());
}

} // namespace mc
