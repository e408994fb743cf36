#pragma once

#include <optional>
#include <string>

namespace mc {

/// What a node says of itself in the `nodes` table; the text form (see
/// `to_string`) is what the table and the scripts hold.
enum class node_state {
  starting,  ///< registered, not yet serving
  standby,   ///< a coreapp without shards (warm, no upstream session)
  active,    ///< a coreapp that owns at least one shard
  busy,      ///< a coreapp whose node actor did not answer in time
  serving,   ///< a webapp answering requests
  primary,   ///< the master holding the lease
  secondary, ///< a master waiting for the lease
  stopped,   ///< shut down cleanly; never live (see mc_node_live)
};

/// The stored spelling of `s`, e.g. "standby".
const char* to_string(node_state s);

/// The state spelled `text`, nullopt for an unknown spelling.
std::optional<node_state> node_state_from_string(const std::string& text);

} // namespace mc
