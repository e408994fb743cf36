#pragma once

/// The upstream's read receipts: a session owner tells the messaging
/// servers that the business read a message a user sent, so the user sees
/// two blue checkmarks (On-Prem "Marking Messages as Read",
/// developers.facebook.com/docs/whatsapp/on-premises/guides/mark-as-read).
///
///   shard s at epoch e                                upstream
///       |-- (mark_read, account, s, e, id, sender) ------->|
///       |<----------- ok | upstream_fenced | upstream_refused
///
/// Only the live session of (account, s) at `e` may send it; the sender is
/// the user who wrote message `id` (a user of shard s).

#include <cstdint>
#include <string>

#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

namespace mc {

using mark_read_atom = caf::atom_constant<caf::atom("mark_read")>;

/// The read-receipt part of the upstream interface (upstream.hpp combines
/// it into `upstream_actor`).
using upstream_read_actor = caf::typed_actor<
  /// (mark_read, account, shard, epoch, message_id, sender) -> ok: the
  /// business read inbound message `message_id` of `sender`. Fails like a
  /// submit when the session is fenced off or gone.
  caf::replies_to<mark_read_atom, std::string, int32_t, int64_t, std::string,
                  std::string>::with<caf::ok_atom>>;

} // namespace mc
