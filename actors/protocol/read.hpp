#pragma once

/// The mark-as-read protocol: webapp -> coreapp node -> shard -> upstream.
///
///   webapp                     coreapp node                   shard s
///     |-- (mark_read, s, e, id, sender) -->|                     |
///     |                                    |-- same ------------>|-- upstream_read.hpp
///     |<------------------------ ok | error (after the upstream answered)
///
/// The webapp found `sender` (the user who wrote inbound message `id`) in
/// the database and routed by it: the shard of a user owns both directions
/// of its traffic. Errors are mc_errc values: not_owner (the shard is not
/// served here at that epoch), upstream_refused / upstream_fenced (the
/// session could not take it; retry).

#include <chrono>
#include <cstdint>
#include <string>

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "actors/protocol/upstream_read.hpp"

namespace mc {

/// The read interface of a coreapp node and of a shard actor.
using read_actor = caf::typed_actor<
  /// (mark_read, shard, epoch, message_id, sender) -> ok once the upstream
  /// took the read receipt.
  caf::replies_to<mark_read_atom, int32_t, int64_t, std::string,
                  std::string>::with<caf::ok_atom>>;

namespace timeouts {

// The read path's budget, inner waits shorter than outer ones as in
// timeouts.hpp: webapp 4 s > node -> shard 3 s > shard -> upstream 2 s.

/// The shard's wait for the upstream's answer to a read receipt.
constexpr auto upstream_read = std::chrono::seconds{2};
/// The coreapp node's wait for its shard's answer.
constexpr auto shard_read = std::chrono::seconds{3};
static_assert(shard_read > upstream_read, "the node outwaits the upstream");
/// The webapp's wait for the coreapp node's answer.
constexpr auto webapp_read = std::chrono::seconds{4};
static_assert(webapp_read > shard_read, "the webapp outwaits the node");

} // namespace timeouts

} // namespace mc
