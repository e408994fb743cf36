#pragma once

/// The shard's callback writes. Receipts and inbound messages pushed by
/// the upstream are answered ok only once their callbacks (and, for
/// inbound messages, their senders) are committed, so the upstream keeps
/// and pushes again whatever a database outage or a crash did not store.
/// Sent statuses are made here, not pushed, so nobody would push them
/// again: they stay in the shard until written (bounded, see shard_events).

#include <cstdint>
#include <vector>

#include <caf/typed_response_promise.hpp>

#include "actors/coreapp/shard.hpp"

namespace mc {

/// The (receipt, shard, epoch, receipts) push.
caf::result<caf::ok_atom>
shard_receipts(shard_actor::stateful_pointer<shard_state> self, int32_t shard,
               int64_t epoch, const std::vector<upstream_receipt>& xs);

/// True when a push for (shard, epoch) is this shard's to take.
bool shard_owns(shard_actor::stateful_pointer<shard_state> self,
                int32_t shard, int64_t epoch);

/// Why a push for (shard, epoch) is refused now (not the owner, or too
/// many pushes being written), or none. Every push taken counts in
/// `push_writes` until answered.
caf::error shard_push_refusal(shard_actor::stateful_pointer<shard_state> self,
                              int32_t shard, int64_t epoch);

/// The refusal of a push this shard does not own.
caf::error shard_not_owner(shard_actor::stateful_pointer<shard_state> self,
                           int32_t shard, int64_t epoch);

/// Writes an inbound batch (senders, then callbacks) and answers `ack` once
/// both committed, or with the first error; the push was counted in
/// `push_writes` when it was taken.
void shard_write_inbound(shard_actor::stateful_pointer<shard_state> self,
                         const std::vector<inbound_message>& xs,
                         caf::typed_response_promise<caf::ok_atom> ack);

/// Writes the sent statuses not yet written, one write at a time; a failed
/// write is retried after a delay.
void shard_write_sent(shard_actor::stateful_pointer<shard_state> self);

/// A last write of the unwritten sent statuses by a shard that stops; its
/// outcome is not awaited.
void shard_write_sent_last(shard_actor::stateful_pointer<shard_state> self);

} // namespace mc
