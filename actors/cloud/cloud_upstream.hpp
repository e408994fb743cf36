#pragma once

/// The Cloud API driver of a coreapp node: an `upstream_actor` (with the
/// media, contacts and account calls) that relays to the WhatsApp Cloud API
/// instead of the simulator, plus the intake of what Meta's webhooks bring
/// back (actors/protocol/cloud_intake.hpp). Each node runs its own; the
/// sessions are the shards the node owns. Unlike the simulator the Cloud
/// API knows nothing of our epochs, so fencing is ours: every submit and a
/// periodic check ask the shard map whether the session's epoch still holds,
/// and a moved shard's work stops at once (its owner is kicked).
///
/// Exactly once: the Cloud API has no idempotency key. A message is sent
/// only when no wamid is recorded for it (cloud_messages); the window in
/// which a crash makes it go twice is from the Cloud API's answer to the
/// record of its wamid, a few milliseconds.
///
/// Blocking database calls: spawn detached.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/cloud/cloud_batches.hpp"
#include "actors/cloud/cloud_context.hpp"
#include "actors/cloud/cloud_sender.hpp"
#include "actors/protocol/cloud_intake.hpp"
#include "actors/protocol/upstream.hpp"
#include "actors/protocol/upstream_account.hpp"
#include "actors/protocol/upstream_contacts.hpp"
#include "actors/protocol/upstream_media.hpp"

namespace mc {

/// Local: hand the statuses that waited for their wamid to the shards.
using cloud_sweep_atom = caf::atom_constant<caf::atom("cloudsweep")>;

using cloud_upstream_actor = upstream_actor::extend_with<upstream_media_actor>
  ::extend_with<upstream_contacts_actor>::extend_with<upstream_account_actor>
  ::extend_with<cloud_intake_actor>::extend<
  /// Local: check the fences of the sessions with work in progress.
  caf::reacts_to<caf::tick_atom>,
  /// Local: record the gateway status (GET /v1/health) when it changed.
  caf::reacts_to<caf::update_atom>,
  caf::reacts_to<cloud_sweep_atom>>;

/// A shard this node's driver sends for.
struct cloud_session {
  std::string account;
  int64_t epoch = 0;
  int32_t shards_total = 1;
  upstream_owner_actor owner;
};

struct cloud_upstream_state {
  static inline const char* name = "cloud_upstream";
  std::shared_ptr<cloud_context> ctx;
  std::vector<cloud_sender_actor> senders;
  std::map<int32_t, cloud_session> sessions;
  cloud_batches batches;
  /// The (shard, epoch) each message in a sender's hands was sent under.
  std::map<std::string, std::pair<int32_t, int64_t>> jobs;
  bool fence_check_armed = false;
  /// Pushes of waiting statuses not answered yet.
  int sweeps_in_flight = 0;
  /// The gateway status last recorded.
  std::string gateway;
};

cloud_upstream_actor::behavior_type cloud_upstream(
  cloud_upstream_actor::stateful_pointer<cloud_upstream_state> self,
  std::shared_ptr<cloud_context> ctx);

} // namespace mc
