#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "runtime/node_state.hpp"
#include "runtime/options.hpp"

namespace mc {

/// A node as it is recorded in the `nodes` table (which holds the text
/// forms of `role` and `state`, see their `to_string`).
struct node_record {
  std::string node_id;
  mc::role role = role::coreapp;
  std::string host;
  int caf_port = 0;
  int http_port = 0;
  int pid = 0;
  std::string version;
  node_state state = node_state::starting;
  /// Milliseconds since the node's last heartbeat, by the database clock.
  int64_t heartbeat_age_ms = 0;
  /// Whether the node is live by `mc_node_live` (schema/003_rules.sql);
  /// only set by the `list_nodes` overload that takes the threshold.
  bool live = false;
};

/// Registers (or re-registers after a restart) this node.
void register_node(pqxx::connection& conn, const node_record& self);

/// Refreshes the heartbeat and the self-reported state of `node_id`.
/// Returns false when the row is gone (someone removed the node).
bool heartbeat_node(pqxx::connection& conn, const std::string& node_id,
                    node_state state);

/// All registered nodes, ordered by id.
std::vector<node_record> list_nodes(pqxx::connection& conn);

/// The nodes of role `r`, ordered by id.
std::vector<node_record> list_nodes(pqxx::connection& conn, role r);

/// The nodes of role `r`, ordered by id, each with `live` judged by the one
/// liveness rule against `unhealthy`.
std::vector<node_record> list_nodes(pqxx::connection& conn, role r,
                                    std::chrono::milliseconds unhealthy);

/// All registered nodes, ordered by id, each with `live` judged by the one
/// liveness rule against `unhealthy` (the settings' unhealthy_interval).
std::vector<node_record> list_nodes(pqxx::connection& conn,
                                    std::chrono::milliseconds unhealthy);

/// How many nodes of role `r` are live by the liveness rule.
int count_live_nodes(pqxx::connection& conn, role r,
                     std::chrono::milliseconds unhealthy);

/// The live nodes per role (roles without one are left out), by role name.
std::vector<std::pair<std::string, int64_t>>
live_nodes_per_role(pqxx::connection& conn, std::chrono::milliseconds unhealthy);

/// Marks a node as stopped at a clean shutdown, so it shows as such at once.
void mark_stopped(pqxx::connection& conn, const std::string& node_id);

} // namespace mc
