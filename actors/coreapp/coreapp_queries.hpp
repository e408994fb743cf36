#pragma once

/// The coreapp node's answers to queries that change nothing it serves:
/// its in-memory stats and contact checks (actors/protocol/stats.hpp,
/// actors/protocol/upstream_contacts.hpp). Kept apart from the node's
/// send and control paths.

#include <string>
#include <vector>

#include <caf/make_message.hpp>
#include <caf/result.hpp>

#include "actors/coreapp/coreapp_node.hpp"

namespace mc {

using coreapp_node_ptr = coreapp_node_actor::stateful_pointer<coreapp_node_state>;

/// (node id, samples) of the node's counters.
caf::result<std::string, stat_samples> app_stats_of(coreapp_node_ptr self);

/// Asks the upstream about `numbers` of `shard`, if the node serves it at
/// `epoch`; else fails with mc_errc::not_owner.
caf::result<contact_checks> check_contacts(coreapp_node_ptr self,
                                           int32_t shard, int64_t epoch,
                                           std::vector<std::string> numbers);

} // namespace mc
