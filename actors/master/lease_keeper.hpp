#pragma once

#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/master/lease_view.hpp"
#include "runtime/store/db_connection.hpp"


namespace mc {

/// Sent by the lease keeper to its subscriber: (lease_atom, primary, epoch).
using lease_atom = caf::atom_constant<caf::atom("lease")>;

/// Settings of the lease keeper.
struct lease_keeper_config {
  std::string node_id;
  std::string db_uri;
  int ttl_ms = 1000;
  int renew_ms = 200;
};

/// State of the lease keeper: competes for the master lease in the
/// database, renews it while held and reports every change of role.
struct lease_keeper_state {
  static inline const char* name = "lease_keeper";
  lease_keeper_config cfg;
  std::shared_ptr<lease_view> view;
  caf::actor subscriber;
  db_connection db;
  bool primary = false;
  int64_t epoch = 0;
  bool stopping = false;
  ~lease_keeper_state();
};

/// Spawn detached: database calls block. `subscriber` (the supervisor)
/// receives (lease_atom, bool primary, int64_t epoch) on every change; if
/// it ends, the keeper releases the lease and stops competing for it.
caf::behavior lease_keeper(caf::stateful_actor<lease_keeper_state>* self,
                           lease_keeper_config cfg,
                           std::shared_ptr<lease_view> view,
                           caf::actor subscriber);

} // namespace mc
