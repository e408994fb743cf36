#pragma once

/// The primary master's pruning of the high-rate tables: every period, in
/// batches, callbacks past their expiry, posted callbacks' keys past the
/// dedup window and acknowledged messages past the retention are deleted (runtime/store/retention_store). Only while this
/// master holds the lease, so one master prunes at a time.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <caf/stateful_actor.hpp>

#include "actors/master/lease_view.hpp"
#include "runtime/store/db_connection.hpp"

namespace mc {

struct retention_pruner_config {
  std::string node_id;
  std::string db_uri;
  std::chrono::milliseconds period{10000};
  int64_t callback_expiry_s = 7 * 24 * 3600;
  /// How long a posted callback's key keeps a redelivered event from being
  /// posted again (schema/015).
  int64_t callback_dedup_s = 3600;
  int64_t message_retention_s = 30 * 24 * 3600;
  /// Rows per DELETE, and DELETEs per table per period at most.
  int64_t batch = 5000;
  int batches = 20;
};

struct retention_pruner_state {
  static inline const char* name = "retention_pruner";
  retention_pruner_config cfg;
  std::shared_ptr<lease_view> view;
  db_connection db;
};

/// Spawn detached (it blocks on the database). Ends on stop_atom.
caf::behavior
retention_pruner(caf::stateful_actor<retention_pruner_state>* self,
                 retention_pruner_config cfg, std::shared_ptr<lease_view> view);

} // namespace mc
