#include "runtime/store/cluster_config.hpp"

namespace mc {

namespace {

constexpr const char* select_settings_sql
  = "SELECT settings::text FROM cluster WHERE id = 1";

constexpr const char* lock_settings_sql
  = "SELECT settings::text FROM cluster WHERE id = 1 FOR UPDATE";

constexpr const char* store_settings_sql
  = "UPDATE cluster SET settings = $1::jsonb WHERE id = 1";

constexpr const char* select_account_name_sql
  = "SELECT coalesce(cc, ''), coalesce(phone_number, '') FROM cluster WHERE id = 1";

constexpr const char* select_account_sql
  = "SELECT cc, phone_number, coalesce(cert, ''), coalesce(pin_hash, ''), shards"
    " FROM cluster WHERE id = 1";

constexpr const char* store_account_sql
  = "UPDATE cluster SET cc = $1, phone_number = $2, cert = $3,"
    " pin_hash = nullif($4, ''), registered_at = now() WHERE id = 1"
    " RETURNING shards";

constexpr const char* select_shards_sql
  = "SELECT shards FROM cluster WHERE id = 1";

// The overlap left is computed by the database, so the webapps' clocks do
// not have to agree with it.
constexpr const char* select_secrets_sql
  = "SELECT token_secret, api_key,"
    " CASE WHEN previous_token_secret_until > now()"
    "  THEN previous_token_secret ELSE '' END,"
    " CASE WHEN previous_token_secret_until > now()"
    "  THEN ceil(extract(epoch FROM previous_token_secret_until - now())"
    "            * 1000)::bigint ELSE 0 END"
    " FROM cluster WHERE id = 1";

constexpr const char* select_reshard_sql
  = "SELECT reshard_to FROM cluster WHERE id = 1";

constexpr const char* request_reshard_sql
  = "UPDATE cluster SET reshard_to = $1 WHERE id = 1";

constexpr const char* reshard_done_sql
  = "SELECT reshard_to IS NULL AND shards = $1"
    " AND (SELECT count(*) FROM shard_map WHERE owner IS NOT NULL"
    " AND shard_id < shards) = shards FROM cluster WHERE id = 1";

constexpr const char* counters_sql
  = "SELECT greatest((SELECT reltuples FROM pg_class"
    "                 WHERE relname = 'messages'), 0)::bigint,"
    " (SELECT count(*) FROM messages WHERE status = 'accepted'),"
    " (SELECT count(*) FROM callbacks),"
    " (SELECT shards FROM cluster WHERE id = 1),"
    " (SELECT count(*) FROM shard_map WHERE owner IS NULL"
    "  AND shard_id < (SELECT shards FROM cluster WHERE id = 1)),"
    " (SELECT config_epoch FROM cluster WHERE id = 1),"
    " (SELECT epoch FROM master_lease WHERE id = 1)";

} // namespace

app_settings load_settings(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  return settings_from_stored_json(
    tx.exec1(select_settings_sql)[0].as<std::string>());
}

std::optional<app_settings>
update_settings(pqxx::connection& conn,
                const std::function<std::optional<app_settings>(const app_settings&)>& patch) {
  pqxx::work tx{conn};
  auto stored = settings_from_stored_json(
    tx.exec1(lock_settings_sql)[0].as<std::string>());
  auto updated = patch(stored);
  if (!updated)
    return std::nullopt;
  tx.exec_params(store_settings_sql, settings_to_stored_json(*updated));
  tx.commit();
  return updated;
}

std::string load_account(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  auto r = tx.exec1(select_account_name_sql);
  auto account = r[0].as<std::string>() + r[1].as<std::string>();
  return account.empty() ? "default" : account;
}

std::optional<registered_account> load_registered_account(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  auto r = tx.exec1(select_account_sql);
  if (r[0].is_null())
    return std::nullopt;
  return registered_account{r[0].as<std::string>(), r[1].as<std::string>(),
                            r[2].as<std::string>(), r[3].as<std::string>(),
                            r[4].as<int32_t>()};
}

int32_t store_account(pqxx::connection& conn, const std::string& cc,
                      const std::string& phone_number, const std::string& cert,
                      const std::string& pin_hash) {
  pqxx::work tx{conn};
  auto r = tx.exec_params1(store_account_sql, cc, phone_number, cert, pin_hash);
  tx.commit();
  return r[0].as<int32_t>();
}

int32_t load_shard_count(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  return tx.exec1(select_shards_sql)[0].as<int32_t>();
}

cluster_secrets load_secrets(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  auto row = tx.exec1(select_secrets_sql);
  return {row[0].as<std::string>(), row[1].as<std::string>(),
          row[2].as<std::string>(), row[3].as<int64_t>()};
}

std::optional<int32_t> pending_reshard(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  auto r = tx.exec1(select_reshard_sql);
  if (r[0].is_null())
    return std::nullopt;
  return r[0].as<int32_t>();
}

void request_reshard(pqxx::connection& conn, int32_t shards) {
  pqxx::work tx{conn};
  tx.exec_params(request_reshard_sql, shards);
  tx.commit();
}

bool reshard_done(pqxx::connection& conn, int32_t shards) {
  pqxx::read_transaction tx{conn};
  return tx.exec_params1(reshard_done_sql, shards)[0].as<bool>();
}

cluster_counters load_cluster_counters(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  auto r = tx.exec1(counters_sql);
  cluster_counters k;
  k.messages_estimate = r[0].as<int64_t>();
  k.messages_unsent = r[1].as<int64_t>();
  k.callbacks_queued = r[2].as<int64_t>();
  k.shards = r[3].as<int64_t>();
  k.shards_unowned = r[4].as<int64_t>();
  k.config_epoch = r[5].as<int64_t>();
  k.master_lease_epoch = r[6].as<int64_t>();
  return k;
}

} // namespace mc
