#pragma once

/// The stats protocol: a webapp asks a coreapp node for its in-memory
/// figures (GET /v1/stats/app).
///
///   webapp                          coreapp node
///     |-- (app_stats) ----------------->|
///     |<-- (node_id, [sample...]) ------|  counters since the node started
///
/// Figures that live in PostgreSQL (pending callbacks, messages) are read
/// there by the webapp, not asked for here.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

namespace mc {

using app_stats_atom = caf::atom_constant<caf::atom("appstats")>;

/// One value of one metric: `labels` holds name, value, name, value...
struct stat_sample {
  std::string name;
  std::vector<std::string> labels;
  int64_t value = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stat_sample& x) {
  return f(caf::meta::type_name("stat_sample"), x.name, x.labels, x.value);
}

using stat_samples = std::vector<stat_sample>;

/// The stats interface of a coreapp node.
using stats_actor = caf::typed_actor<
  /// (app_stats) -> (node id, samples): the node's in-memory counters.
  caf::replies_to<app_stats_atom>::with<std::string, stat_samples>>;

/// Registers the types above (called by register_protocol).
void register_stats_protocol(caf::actor_system_config& cfg);

} // namespace mc
