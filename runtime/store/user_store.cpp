#include "runtime/store/user_store.hpp"

namespace mc {

namespace {

constexpr const char* find_user_sql
  = "SELECT password_hash, is_admin, must_change FROM users WHERE username = $1";

constexpr const char* set_password_sql
  = "UPDATE users SET password_hash = $2, must_change = false "
    "WHERE username = $1";

constexpr const char* create_user_sql
  = "INSERT INTO users (username, password_hash) VALUES ($1, $2) "
    "ON CONFLICT DO NOTHING";

constexpr const char* delete_user_sql
  = "DELETE FROM users WHERE username = $1 AND NOT is_admin";

constexpr const char* count_users_sql = "SELECT count(*) FROM users";

constexpr const char* create_admin_sql
  = "INSERT INTO users (username, password_hash, is_admin, must_change) "
    "VALUES ($1, $2, true, true) ON CONFLICT DO NOTHING";

constexpr const char* revoke_sql
  = "INSERT INTO revoked_tokens (token_id, expires_at) "
    "VALUES ($1, to_timestamp($2)) ON CONFLICT DO NOTHING";

constexpr const char* revoked_sql
  = "SELECT token_id FROM revoked_tokens WHERE expires_at > now()";

} // namespace

std::optional<user_row> find_user(pqxx::connection& conn,
                                  const std::string& name) {
  pqxx::read_transaction tx{conn};
  auto r = tx.exec_params(find_user_sql, name);
  if (r.empty())
    return std::nullopt;
  return user_row{r[0][0].as<std::string>(), r[0][1].as<bool>(),
                  r[0][2].as<bool>()};
}

void set_password(pqxx::connection& conn, const std::string& name,
                  const std::string& password_hash) {
  pqxx::work tx{conn};
  tx.exec_params(set_password_sql, name, password_hash);
  tx.commit();
}

bool create_user(pqxx::connection& conn, const std::string& name,
                 const std::string& password_hash) {
  pqxx::work tx{conn};
  auto r = tx.exec_params(create_user_sql, name, password_hash);
  tx.commit();
  return r.affected_rows() == 1;
}

bool delete_user(pqxx::connection& conn, const std::string& name) {
  pqxx::work tx{conn};
  auto r = tx.exec_params(delete_user_sql, name);
  tx.commit();
  return r.affected_rows() == 1;
}

bool ensure_first_admin(pqxx::connection& conn, const std::string& name,
                        const std::string& password_hash) {
  pqxx::work tx{conn};
  if (tx.exec1(count_users_sql)[0].as<int>() > 0)
    return false;
  auto r = tx.exec_params(create_admin_sql, name, password_hash);
  tx.commit();
  return r.affected_rows() == 1;
}

void revoke_token(pqxx::connection& conn, const std::string& token_id,
                  int64_t expires_at) {
  pqxx::work tx{conn};
  tx.exec_params(revoke_sql, token_id, expires_at);
  tx.commit();
}

std::set<std::string> load_revoked_tokens(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  std::set<std::string> out;
  for (auto row : tx.exec(revoked_sql))
    out.insert(row[0].as<std::string>());
  return out;
}

} // namespace mc
