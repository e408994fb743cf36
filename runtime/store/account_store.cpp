#include "runtime/store/account_store.hpp"

namespace mc {

namespace {

constexpr const char* store_pin_sql
  = "UPDATE cluster SET pin_hash = nullif($1, '') WHERE id = 1";

constexpr const char* registered_age_sql
  = "SELECT floor(extract(epoch FROM now() - registered_at))::bigint"
    " FROM cluster WHERE id = 1";

constexpr const char* store_pending_sql
  = "INSERT INTO account_pending (id, cc, phone_number, cert, pin_hash)"
    " VALUES (1, $1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET"
    " cc = excluded.cc, phone_number = excluded.phone_number,"
    " cert = excluded.cert, pin_hash = excluded.pin_hash, created_at = now()";

constexpr const char* select_pending_sql
  = "SELECT cc, phone_number, cert, pin_hash FROM account_pending"
    " WHERE id = 1";

constexpr const char* clear_pending_sql = "DELETE FROM account_pending";

constexpr const char* select_about_sql
  = "SELECT about FROM profile WHERE id = 1";

constexpr const char* store_about_sql
  = "UPDATE profile SET about = $1 WHERE id = 1";

constexpr const char* select_photo_sql
  = "SELECT photo, coalesce(photo_type, '') FROM profile"
    " WHERE id = 1 AND photo IS NOT NULL";

constexpr const char* store_photo_sql
  = "UPDATE profile SET photo = $1, photo_type = $2 WHERE id = 1";

constexpr const char* delete_photo_sql
  = "UPDATE profile SET photo = NULL, photo_type = NULL"
    " WHERE id = 1 AND photo IS NOT NULL";

constexpr const char* select_business_sql
  = "SELECT business::text FROM profile WHERE id = 1";

constexpr const char* store_business_sql
  = "UPDATE profile SET business = $1::jsonb WHERE id = 1";

} // namespace

void store_pin_hash(pqxx::connection& conn, const std::string& pin_hash) {
  pqxx::work tx{conn};
  tx.exec_params(store_pin_sql, pin_hash);
  tx.commit();
}

std::optional<int64_t> registered_age_s(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  auto r = tx.exec1(registered_age_sql);
  if (r[0].is_null())
    return std::nullopt;
  return r[0].as<int64_t>();
}

void store_pending_registration(pqxx::connection& conn,
                                const registered_account& account) {
  pqxx::work tx{conn};
  tx.exec_params(store_pending_sql, account.cc, account.phone_number,
                 account.cert, account.pin_hash);
  tx.commit();
}

std::optional<registered_account>
load_pending_registration(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  auto r = tx.exec(select_pending_sql);
  if (r.empty())
    return std::nullopt;
  registered_account a;
  a.cc = r[0][0].as<std::string>();
  a.phone_number = r[0][1].as<std::string>();
  a.cert = r[0][2].as<std::string>();
  a.pin_hash = r[0][3].as<std::string>();
  return a;
}

void clear_pending_registration(pqxx::connection& conn) {
  pqxx::work tx{conn};
  tx.exec(clear_pending_sql);
  tx.commit();
}

std::string load_about(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  return tx.exec1(select_about_sql)[0].as<std::string>();
}

void store_about(pqxx::connection& conn, const std::string& text) {
  pqxx::work tx{conn};
  tx.exec_params(store_about_sql, text);
  tx.commit();
}

std::optional<profile_photo> load_photo(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  auto r = tx.exec(select_photo_sql);
  if (r.empty())
    return std::nullopt;
  pqxx::binarystring bytes{r[0][0]};
  return profile_photo{bytes.str(), r[0][1].as<std::string>()};
}

void store_photo(pqxx::connection& conn, const profile_photo& photo) {
  pqxx::work tx{conn};
  pqxx::binarystring bytes{photo.bytes};
  tx.exec_params(store_photo_sql, bytes, photo.type);
  tx.commit();
}

bool delete_photo(pqxx::connection& conn) {
  pqxx::work tx{conn};
  auto r = tx.exec(delete_photo_sql);
  tx.commit();
  return r.affected_rows() == 1;
}

std::string load_business_profile(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  return tx.exec1(select_business_sql)[0].as<std::string>();
}

void store_business_profile(pqxx::connection& conn, const std::string& json) {
  pqxx::work tx{conn};
  tx.exec_params(store_business_sql, json);
  tx.commit();
}

} // namespace mc
