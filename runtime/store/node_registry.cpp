#include "runtime/store/node_registry.hpp"

namespace mc {

namespace {

// The `nodes` table's statements. Liveness is never written here: every
// statement that needs it calls mc_node_live (schema/003_rules.sql).

constexpr const char* upsert_node_sql
  = "INSERT INTO nodes (node_id, role, host, caf_port, http_port, pid, version,"
    " started_at, heartbeat_at, state) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, now(), now(), $8) "
    "ON CONFLICT (node_id) DO UPDATE SET role = $2, host = $3, caf_port = $4,"
    " http_port = $5, pid = $6, version = $7, started_at = now(),"
    " heartbeat_at = now(), state = $8";

constexpr const char* heartbeat_sql
  = "UPDATE nodes SET heartbeat_at = now(), state = $2 WHERE node_id = $1";

constexpr const char* set_state_sql
  = "UPDATE nodes SET state = $2 WHERE node_id = $1";

/// The columns `to_records` reads, `$1` the liveness threshold in ms.
constexpr const char* select_nodes_sql
  = "SELECT node_id, role, host, caf_port, http_port, pid, version, state,"
    " (extract(epoch FROM (now() - heartbeat_at)) * 1000)::bigint,"
    " mc_node_live(state, heartbeat_at, $1) "
    "FROM nodes ";

constexpr const char* count_live_sql
  = "SELECT count(*) FROM nodes WHERE role = $1"
    " AND mc_node_live(state, heartbeat_at, $2)";

constexpr const char* live_per_role_sql
  = "SELECT role, count(*) FROM nodes WHERE mc_node_live(state, heartbeat_at, $1)"
    " GROUP BY role ORDER BY role";

std::vector<node_record> to_records(const pqxx::result& rows) {
  std::vector<node_record> out;
  out.reserve(rows.size());
  for (auto row : rows) {
    // A role this binary does not know (a newer node's) is not ours to use.
    auto r = role_from_string(row[1].as<std::string>());
    if (!r)
      continue;
    node_record n;
    n.node_id = row[0].as<std::string>();
    n.role = *r;
    n.host = row[2].as<std::string>();
    n.caf_port = row[3].as<int>();
    n.http_port = row[4].as<int>();
    n.pid = row[5].as<int>();
    n.version = row[6].as<std::string>();
    n.state = node_state_from_string(row[7].as<std::string>())
                .value_or(node_state::starting);
    n.heartbeat_age_ms = row[8].as<int64_t>();
    n.live = row[9].as<bool>();
    out.push_back(std::move(n));
  }
  return out;
}

/// Threshold for the overloads that do not judge liveness (`live` stays
/// meaningless there; 0 makes it false).
constexpr int64_t unjudged = 0;

} // namespace

void register_node(pqxx::connection& conn, const node_record& self) {
  pqxx::work tx{conn};
  tx.exec_params(upsert_node_sql, self.node_id, to_string(self.role),
                 self.host, self.caf_port, self.http_port, self.pid,
                 self.version, to_string(self.state));
  tx.commit();
}

bool heartbeat_node(pqxx::connection& conn, const std::string& node_id,
                    node_state state) {
  pqxx::work tx{conn};
  auto r = tx.exec_params(heartbeat_sql, node_id, to_string(state));
  tx.commit();
  return r.affected_rows() == 1;
}

std::vector<node_record> list_nodes(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  return to_records(tx.exec_params(std::string{select_nodes_sql}
                                     + "ORDER BY node_id",
                                   unjudged));
}

std::vector<node_record> list_nodes(pqxx::connection& conn, role r) {
  return list_nodes(conn, r, std::chrono::milliseconds{unjudged});
}

std::vector<node_record> list_nodes(pqxx::connection& conn, role r,
                                    std::chrono::milliseconds unhealthy) {
  pqxx::read_transaction tx{conn};
  return to_records(tx.exec_params(std::string{select_nodes_sql}
                                     + "WHERE role = $2 ORDER BY node_id",
                                   static_cast<int64_t>(unhealthy.count()),
                                   to_string(r)));
}

std::vector<node_record> list_nodes(pqxx::connection& conn,
                                    std::chrono::milliseconds unhealthy) {
  pqxx::read_transaction tx{conn};
  return to_records(tx.exec_params(std::string{select_nodes_sql}
                                     + "ORDER BY node_id",
                                   static_cast<int64_t>(unhealthy.count())));
}

int count_live_nodes(pqxx::connection& conn, role r,
                     std::chrono::milliseconds unhealthy) {
  pqxx::read_transaction tx{conn};
  return tx.exec_params1(count_live_sql, to_string(r),
                         static_cast<int64_t>(unhealthy.count()))[0]
    .as<int>();
}

std::vector<std::pair<std::string, int64_t>>
live_nodes_per_role(pqxx::connection& conn, std::chrono::milliseconds unhealthy) {
  pqxx::read_transaction tx{conn};
  std::vector<std::pair<std::string, int64_t>> out;
  for (auto row : tx.exec_params(live_per_role_sql,
                                 static_cast<int64_t>(unhealthy.count())))
    out.emplace_back(row[0].as<std::string>(), row[1].as<int64_t>());
  return out;
}

void mark_stopped(pqxx::connection& conn, const std::string& node_id) {
  pqxx::work tx{conn};
  tx.exec_params(set_state_sql, node_id, to_string(node_state::stopped));
  tx.commit();
}

} // namespace mc
