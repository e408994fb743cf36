#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace mc {

/// A node as it is recorded in the `nodes` table.
struct node_record {
  std::string node_id;
  std::string role;
  std::string host;
  int caf_port = 0;
  int http_port = 0;
  int pid = 0;
  std::string version;
  std::string state;
  /// Milliseconds since the node's last heartbeat, by the database clock.
  int64_t heartbeat_age_ms = 0;
};

/// Registers (or re-registers after a restart) this node.
void register_node(pqxx::connection& conn, const node_record& self);

/// Refreshes the heartbeat and the self-reported state of `node_id`.
/// Returns false when the row is gone (someone removed the node).
bool heartbeat_node(pqxx::connection& conn, const std::string& node_id,
                    const std::string& state);

/// All registered nodes, ordered by id.
std::vector<node_record> list_nodes(pqxx::connection& conn);

/// The nodes of one role, ordered by id.
std::vector<node_record> list_nodes(pqxx::connection& conn,
                                    const std::string& role);

/// Marks a node as stopped at a clean shutdown, so it shows as such at once.
void mark_stopped(pqxx::connection& conn, const std::string& node_id);

} // namespace mc
