#pragma once

/// The Cloud API webhook intake: a webapp hands what Meta posted to
/// /v1/cloud/webhook to the coreapp node that owns the user's shard, and
/// answers Meta 200 only after that node's shard persisted it (Meta posts
/// again what is not answered 200).
///
///   webapp                                           coreapp node
///     |-- (cloud_push, shard, [status...], [message...]) -->|
///     |<------------------------ ok | not_owner | refused --|
///
/// A status names its message by the Cloud API's wamid (in
/// `upstream_receipt::id`); the node turns it into our id, or keeps the
/// status in the database until its wamid is recorded (ok means persisted
/// either way). An error means "not now": the webapp answers 503 and Meta
/// retries.

#include <cstdint>
#include <vector>

#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "actors/protocol/upstream.hpp"

namespace mc {

using cloud_push_atom = caf::atom_constant<caf::atom("cloudpush")>;

using cloud_intake_actor = caf::typed_actor<
  caf::replies_to<cloud_push_atom, int32_t, std::vector<upstream_receipt>,
                  std::vector<inbound_message>>::with<caf::ok_atom>>;

} // namespace mc
