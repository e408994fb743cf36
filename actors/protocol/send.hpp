#pragma once

/// The send protocol: webapp gateway -> coreapp node -> shard.
///
///   gateway                 coreapp node                     shard s
///     |-- (send_batch, [item...]) -->|                          |
///     |                              |-- (send_batch, s, e, [item of s]) -->|
///     |                              |<------------- [code...] (after commit)
///     |<---------------- [code...] --|  one code per item, in item order
///
/// A code is 0 when the item is committed (durable), else an mc_errc value:
/// not_owner (the shard is not served here at that epoch: ask the new
/// owner), resharding (the shard is draining), overloaded (its queue is
/// full), database (the commit failed; nothing was accepted). Batching many
/// sends into one message is what lets one webapp feed tens of thousands of
/// messages a second to the coreapps.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "actors/protocol/errors.hpp"

namespace mc {

using send_batch_atom = caf::atom_constant<caf::atom("sendbatch")>;

/// One send: the message with the shard and epoch the webapp routed it to.
/// `recipient` is already normalised to digits (the shard was computed
/// from it). `payload` is the message document as stored and sent upstream
/// (runtime/message_payload.hpp); `type` is its "type" member.
struct send_item {
  int32_t shard = 0;
  int64_t epoch = 0;
  std::string id;
  std::string recipient;
  std::string payload;
  std::string type = "text";
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, send_item& x) {
  return f(caf::meta::type_name("send_item"), x.shard, x.epoch, x.id,
           x.recipient, x.payload, x.type);
}

/// The outcome of each item of a batch, in item order: 0 for committed,
/// else an mc_errc value.
using send_codes = std::vector<int32_t>;

/// The code of `x` in a `send_codes` reply.
constexpr int32_t code_of(mc_errc x) {
  return static_cast<int32_t>(x);
}

/// The send interface of a coreapp node.
using send_actor = caf::typed_actor<
  /// (send_batch, items) -> codes: each item goes to the shard it names
  /// and is answered once that shard committed it or refused it.
  caf::replies_to<send_batch_atom, std::vector<send_item>>::with<send_codes>>;

/// The send interface of a shard actor.
using shard_send_actor = caf::typed_actor<
  /// (send_batch, shard, epoch, items) -> codes: items all for `shard` at
  /// `epoch`, committed as one group commit (or refused as a whole).
  caf::replies_to<send_batch_atom, int32_t, int64_t,
                  std::vector<send_item>>::with<send_codes>>;

} // namespace mc
