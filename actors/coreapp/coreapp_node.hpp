#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/stateful_actor.hpp>

#include "runtime/settings_cache.hpp"
#include "actors/coreapp/shard.hpp"

namespace mc {

/// What a coreapp node starts with.
struct coreapp_config {
  std::string node_id;
  std::string account = "default";
  /// The node's database writers; shard s uses writers[s % size].
  std::vector<caf::actor> writers;
  caf::actor upstream;
  std::shared_ptr<settings_cache> settings;
  shard_limits limits;
  /// Raised when the upstream connection drops (see coreapp_node_state).
  std::shared_ptr<std::atomic<bool>> upstream_lost;
};

/// One shard this node serves.
struct owned_shard {
  int64_t epoch = 0;
  caf::actor actor;
};

/// State of a coreapp node: a warm secondary until the primary master
/// activates shards on it; then it runs one shard actor per owned shard and
/// routes the webapps' sends to them.
struct coreapp_node_state {
  static inline const char* name = "coreapp_node";
  coreapp_config cfg;
  std::map<int32_t, owned_shard> shards;
  /// Every shard actor spawned, for stopping them when the node exits
  /// (shared: the exit hook outlives the state).
  std::shared_ptr<std::vector<caf::actor>> children
    = std::make_shared<std::vector<caf::actor>>();
  /// Set when the connection to the upstream was lost; the node's
  /// heartbeat loop reconnects and sends (upstream_atom, handle).
  std::shared_ptr<std::atomic<bool>> upstream_lost;
};

/// The coreapp node's published actor. Handles activate_atom,
/// deactivate_atom, ping_atom and send_atom (see protocol.hpp).
caf::behavior coreapp_node(caf::stateful_actor<coreapp_node_state>* self,
                           coreapp_config cfg);

} // namespace mc
