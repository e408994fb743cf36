#include "runtime/store/contacts_store.hpp"

#include "runtime/store/pg_array.hpp"

namespace mc {

namespace {

// Arrays travel as one text[] parameter each: one statement for any
// number of contacts.
constexpr const char* select_fresh_sql
  = "SELECT number, status, coalesce(wa_id, '') FROM contacts"
    " WHERE number = ANY($1::text[])"
    "   AND checked_at > now() - make_interval(secs => $2)";

constexpr const char* upsert_sql
  = "INSERT INTO contacts (number, status, wa_id, checked_at)"
    " SELECT n, s, nullif(w, ''), now()"
    " FROM unnest($1::text[], $2::text[], $3::text[]) AS t(n, s, w)"
    " ON CONFLICT (number) DO UPDATE"
    "   SET status = excluded.status, wa_id = excluded.wa_id,"
    "       checked_at = excluded.checked_at";

constexpr const char* count_sql
  = "SELECT count(*) FILTER (WHERE status = 'valid'),"
    "       count(*) FILTER (WHERE status = 'invalid')"
    " FROM contacts WHERE checked_at > now() - make_interval(secs => $1)";

constexpr const char* prune_sql
  = "DELETE FROM contacts"
    " WHERE checked_at <= now() - make_interval(secs => $1)";

} // namespace

std::map<std::string, contact_row>
load_fresh_contacts(pqxx::connection& conn,
                    const std::vector<std::string>& numbers,
                    std::chrono::seconds max_age) {
  std::map<std::string, contact_row> out;
  if (numbers.empty())
    return out;
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params(select_fresh_sql, text_array(numbers),
                             static_cast<double>(max_age.count()));
  for (auto r : rows) {
    contact_row c{r[0].as<std::string>(), r[1].as<std::string>(),
                  r[2].as<std::string>()};
    out.emplace(c.number, std::move(c));
  }
  return out;
}

void save_contacts(pqxx::connection& conn,
                   const std::vector<contact_row>& rows) {
  if (rows.empty())
    return;
  std::vector<std::string> numbers, statuses, wa_ids;
  for (auto& r : rows) {
    numbers.push_back(r.number);
    statuses.push_back(r.status);
    wa_ids.push_back(r.wa_id);
  }
  pqxx::work tx{conn};
  tx.exec_params(upsert_sql, text_array(numbers), text_array(statuses),
                 text_array(wa_ids));
  tx.commit();
}

contact_counts count_contacts(pqxx::connection& conn,
                              std::chrono::seconds max_age) {
  pqxx::read_transaction tx{conn};
  auto r = tx.exec_params1(count_sql, static_cast<double>(max_age.count()));
  return {r[0].as<int64_t>(), r[1].as<int64_t>()};
}

int64_t prune_contacts(pqxx::connection& conn, std::chrono::seconds max_age) {
  pqxx::work tx{conn};
  auto r = tx.exec_params(prune_sql, static_cast<double>(max_age.count()));
  tx.commit();
  return static_cast<int64_t>(r.affected_rows());
}

} // namespace mc
