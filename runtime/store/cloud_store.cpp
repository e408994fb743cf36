#include "runtime/store/cloud_store.hpp"

#include <pqxx/pqxx>

#include "runtime/store/pg_array.hpp"

namespace mc {

namespace {

constexpr const char* fence_sql
  = "SELECT epoch FROM shard_map WHERE shard_id = $1";

constexpr const char* wamids_of_sql
  = "SELECT id, wamid FROM cloud_messages WHERE id = ANY($1::text[])";

constexpr const char* record_wamid_sql
  = "INSERT INTO cloud_messages (id, wamid, shard_id, recipient) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";

constexpr const char* message_of_sql
  = "SELECT id, recipient FROM cloud_messages WHERE wamid = $1";

constexpr const char* record_media_sql
  = "INSERT INTO cloud_media (id, cloud_id) VALUES ($1, $2) "
    "ON CONFLICT (id) DO UPDATE SET cloud_id = EXCLUDED.cloud_id";

constexpr const char* media_of_sql
  = "SELECT id, cloud_id FROM cloud_media WHERE id = ANY($1::text[])";

constexpr const char* record_gateway_sql
  = "INSERT INTO cloud_gateway (node_id, status) VALUES ($1, $2) "
    "ON CONFLICT (node_id) DO UPDATE SET status = EXCLUDED.status, "
    "updated_at = now()";

constexpr const char* gateways_sql
  = "SELECT node_id, status FROM cloud_gateway";

constexpr const char* prune_sql
  = "DELETE FROM cloud_messages WHERE id IN (SELECT id FROM cloud_messages "
    "WHERE created_at < now() - make_interval(secs => $1) "
    "ORDER BY created_at LIMIT $2)";

constexpr const char* park_sql
  = "INSERT INTO cloud_waiting_statuses (wamid, status, routing_key, "
    "recipient, user_id, ts, error_code, error_title) "
    "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], "
    "$5::text[], $6::bigint[], $7::integer[], $8::text[]) "
    "ON CONFLICT DO NOTHING";

constexpr const char* matched_sql
  = "SELECT w.wamid, w.routing_key, m.id, w.recipient, m.recipient, "
    "w.status, w.ts, w.error_code, w.error_title, w.user_id "
    "FROM cloud_waiting_statuses w JOIN cloud_messages m USING (wamid) "
    "ORDER BY w.received_at LIMIT $1";

constexpr const char* forget_sql
  = "DELETE FROM cloud_waiting_statuses WHERE (wamid, status) IN "
    "(SELECT * FROM unnest($1::text[], $2::text[]))";

constexpr const char* record_users_sql
  = "INSERT INTO cloud_users (user_id, phone) "
    "SELECT * FROM unnest($1::text[], $2::text[]) "
    "ON CONFLICT (user_id) DO UPDATE SET phone = EXCLUDED.phone, "
    "updated_at = now() WHERE cloud_users.phone <> EXCLUDED.phone";

constexpr const char* phones_of_sql
  = "SELECT user_id, phone FROM cloud_users WHERE user_id = ANY($1::text[])";

constexpr const char* waiting_count_sql
  = "SELECT count(*) FROM cloud_waiting_statuses";

constexpr const char* prune_waiting_sql
  = "DELETE FROM cloud_waiting_statuses WHERE (wamid, status) IN "
    "(SELECT wamid, status FROM cloud_waiting_statuses "
    "WHERE received_at < now() - make_interval(secs => $1) "
    "ORDER BY received_at LIMIT $2)";

std::map<std::string, std::string>
pairs_of(pqxx::connection& conn, const char* sql,
         const std::vector<std::string>& ids) {
  std::map<std::string, std::string> out;
  if (ids.empty())
    return out;
  pqxx::read_transaction tx{conn};
  for (auto row : tx.exec_params(sql, text_array(ids)))
    out.emplace(row[0].as<std::string>(), row[1].as<std::string>());
  return out;
}

} // namespace

bool cloud_fence_holds(pqxx::connection& conn, int32_t shard, int64_t epoch) {
  pqxx::read_transaction tx{conn};
  auto r = tx.exec_params(fence_sql, shard);
  return !r.empty() && r[0][0].as<int64_t>() == epoch;
}

std::map<std::string, std::string>
cloud_wamids_of(pqxx::connection& conn, const std::vector<std::string>& ids) {
  return pairs_of(conn, wamids_of_sql, ids);
}

void record_cloud_wamid(pqxx::connection& conn, const std::string& id,
                        const std::string& wamid, int32_t shard,
                        const std::string& recipient) {
  pqxx::work tx{conn};
  tx.exec_params(record_wamid_sql, id, wamid, shard, recipient);
  tx.commit();
}

std::optional<cloud_sent> cloud_message_of(pqxx::connection& conn,
                                           const std::string& wamid) {
  pqxx::read_transaction tx{conn};
  auto r = tx.exec_params(message_of_sql, wamid);
  if (r.empty())
    return std::nullopt;
  return cloud_sent{r[0][0].as<std::string>(), r[0][1].as<std::string>()};
}

void record_cloud_media(pqxx::connection& conn, const std::string& id,
                        const std::string& cloud_id) {
  pqxx::work tx{conn};
  tx.exec_params(record_media_sql, id, cloud_id);
  tx.commit();
}

std::map<std::string, std::string>
cloud_media_of(pqxx::connection& conn, const std::vector<std::string>& ids) {
  return pairs_of(conn, media_of_sql, ids);
}

void record_cloud_gateway(pqxx::connection& conn, const std::string& node_id,
                          const std::string& status) {
  pqxx::work tx{conn};
  tx.exec_params(record_gateway_sql, node_id, status);
  tx.commit();
}

std::map<std::string, std::string> cloud_gateways(pqxx::connection& conn) {
  std::map<std::string, std::string> out;
  pqxx::read_transaction tx{conn};
  for (auto row : tx.exec(gateways_sql))
    out.emplace(row[0].as<std::string>(), row[1].as<std::string>());
  return out;
}

void park_cloud_statuses(pqxx::connection& conn,
                         const std::vector<cloud_waiting_status>& xs) {
  if (xs.empty())
    return;
  std::vector<std::string> wamids, statuses, keys, recipients, users, titles;
  std::vector<int64_t> ts;
  std::vector<int32_t> codes;
  for (auto& x : xs) {
    wamids.push_back(x.wamid);
    statuses.push_back(x.status);
    keys.push_back(x.routing_key);
    recipients.push_back(x.recipient);
    users.push_back(x.user_id);
    ts.push_back(x.timestamp);
    codes.push_back(x.error_code);
    titles.push_back(x.error_title);
  }
  pqxx::work tx{conn};
  tx.exec_params(park_sql, text_array(wamids), text_array(statuses),
                 text_array(keys), text_array(recipients), text_array(users),
                 number_array(ts), number_array(codes), text_array(titles));
  tx.commit();
}

std::vector<cloud_matched_status>
matched_cloud_statuses(pqxx::connection& conn, size_t limit) {
  std::vector<cloud_matched_status> out;
  pqxx::read_transaction tx{conn};
  for (auto row : tx.exec_params(matched_sql, static_cast<int64_t>(limit))) {
    cloud_matched_status m;
    auto& w = m.waiting;
    w.wamid = row[0].as<std::string>();
    w.routing_key = row[1].as<std::string>();
    m.id = row[2].as<std::string>();
    w.recipient = row[3].as<std::string>();
    m.sent_recipient = row[4].as<std::string>();
    w.status = row[5].as<std::string>();
    w.timestamp = row[6].as<int64_t>();
    w.error_code = row[7].as<int32_t>();
    w.error_title = row[8].as<std::string>();
    w.user_id = row[9].as<std::string>();
    out.push_back(std::move(m));
  }
  return out;
}

void forget_cloud_statuses(
  pqxx::connection& conn,
  const std::vector<std::pair<std::string, std::string>>& keys) {
  if (keys.empty())
    return;
  std::vector<std::string> wamids, statuses;
  for (auto& [w, s] : keys) {
    wamids.push_back(w);
    statuses.push_back(s);
  }
  pqxx::work tx{conn};
  tx.exec_params(forget_sql, text_array(wamids), text_array(statuses));
  tx.commit();
}

int64_t waiting_cloud_statuses(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  return tx.exec(waiting_count_sql)[0][0].as<int64_t>();
}

int64_t prune_cloud_waiting(pqxx::connection& conn, int64_t age_s,
                            size_t limit) {
  pqxx::work tx{conn};
  auto r = tx.exec_params(prune_waiting_sql, age_s,
                          static_cast<int64_t>(limit));
  tx.commit();
  return static_cast<int64_t>(r.affected_rows());
}

void record_cloud_users(pqxx::connection& conn,
                        const std::map<std::string, std::string>& pairs) {
  if (pairs.empty())
    return;
  std::vector<std::string> users, phones;
  for (auto& [u, p] : pairs) {
    users.push_back(u);
    phones.push_back(p);
  }
  pqxx::work tx{conn};
  tx.exec_params(record_users_sql, text_array(users), text_array(phones));
  tx.commit();
}

std::map<std::string, std::string>
cloud_phones_of(pqxx::connection& conn,
                const std::vector<std::string>& user_ids) {
  return pairs_of(conn, phones_of_sql, user_ids);
}

int64_t prune_cloud_messages(pqxx::connection& conn, int64_t age_s,
                             size_t limit) {
  pqxx::work tx{conn};
  auto r = tx.exec_params(prune_sql, age_s, static_cast<int64_t>(limit));
  tx.commit();
  return static_cast<int64_t>(r.affected_rows());
}

} // namespace mc
