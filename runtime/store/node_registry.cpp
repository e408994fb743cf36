#include "runtime/store/node_registry.hpp"

namespace mc {

void register_node(pqxx::connection& conn, const node_record& self) {
  pqxx::work tx{conn};
  tx.exec_params(
    "INSERT INTO nodes (node_id, role, host, caf_port, http_port, pid, version,"
    " started_at, heartbeat_at, state) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, now(), now(), $8) "
    "ON CONFLICT (node_id) DO UPDATE SET role = $2, host = $3, caf_port = $4,"
    " http_port = $5, pid = $6, version = $7, started_at = now(),"
    " heartbeat_at = now(), state = $8",
    self.node_id, self.role, self.host, self.caf_port, self.http_port, self.pid,
    self.version, self.state);
  tx.commit();
}

bool heartbeat_node(pqxx::connection& conn, const std::string& node_id,
                    const std::string& state) {
  pqxx::work tx{conn};
  auto r = tx.exec_params("UPDATE nodes SET heartbeat_at = now(), state = $2 "
                          "WHERE node_id = $1",
                          node_id, state);
  tx.commit();
  return r.affected_rows() == 1;
}

namespace {

std::vector<node_record> to_records(const pqxx::result& rows) {
  std::vector<node_record> out;
  out.reserve(rows.size());
  for (auto row : rows) {
    node_record n;
    n.node_id = row[0].as<std::string>();
    n.role = row[1].as<std::string>();
    n.host = row[2].as<std::string>();
    n.caf_port = row[3].as<int>();
    n.http_port = row[4].as<int>();
    n.pid = row[5].as<int>();
    n.version = row[6].as<std::string>();
    n.state = row[7].as<std::string>();
    n.heartbeat_age_ms = row[8].as<int64_t>();
    out.push_back(std::move(n));
  }
  return out;
}

constexpr const char* select_nodes
  = "SELECT node_id, role, host, caf_port, http_port, pid, version, state,"
    " (extract(epoch FROM (now() - heartbeat_at)) * 1000)::bigint "
    "FROM nodes ";

} // namespace

std::vector<node_record> list_nodes(pqxx::connection& conn) {
  pqxx::read_transaction tx{conn};
  return to_records(tx.exec(std::string{select_nodes} + "ORDER BY node_id"));
}

std::vector<node_record> list_nodes(pqxx::connection& conn,
                                    const std::string& role) {
  pqxx::read_transaction tx{conn};
  return to_records(tx.exec_params(std::string{select_nodes}
                                     + "WHERE role = $1 ORDER BY node_id",
                                   role));
}

void mark_stopped(pqxx::connection& conn, const std::string& node_id) {
  pqxx::work tx{conn};
  tx.exec_params("UPDATE nodes SET state = 'stopped' WHERE node_id = $1",
                 node_id);
  tx.commit();
}

} // namespace mc
