#pragma once

/// The upstream protocol: a shard's session with the messaging servers.
/// The simulator (actors/sim/) implements `upstream_actor`; a Cloud API
/// driver implements the same interface later. The shard is the session
/// owner: it names itself in the login and receives the pushes.
///
///   session (shard side)                              upstream
///       |-- (login, account, s, e, shards_total, owner) -->|
///       |<----------- ok | upstream_fenced | upstream_refused
///       |-- (submit, account, s, e, [message...]) -------->|
///       |<----------- [acked id...] | upstream_fenced | upstream_refused
///   owner                                                  |
///       |<---------------------------- (kicked, s, e) -----|  newer session
///       |<---------------- (receipt, s, e, [receipt...]) --|
///       |-- ok | upstream_fenced | database -------------->|
///       |<---------------- (inbound, s, e, [message...]) --|
///       |-- ok | upstream_fenced | database -------------->|
///       |-- (mark_read, account, s, e, id, sender) ------->|  upstream_read.hpp
///       |<----------- ok | upstream_fenced | upstream_refused
///
/// One live session per (account, shard); a login at a newer epoch ends the
/// older one (kicked). Submits are idempotent by message id, so a session
/// may send a batch again after any failure.
///
/// Pushes are acknowledged, as the real messaging servers do it: the owner
/// answers ok only once what it was pushed is durably stored (its callbacks
/// committed), and the upstream keeps every push until that ok comes from
/// the session at the current epoch. It pushes an unacknowledged batch
/// again after a timeout and to the next session of the shard, and stops
/// pushing to a session beyond a window of unacknowledged items. Pushes
/// are therefore at least once; the owner deduplicates what it can.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "actors/protocol/upstream_read.hpp"

namespace mc {

using login_atom = caf::atom_constant<caf::atom("login")>;
using submit_atom = caf::atom_constant<caf::atom("submit")>;
using kicked_atom = caf::atom_constant<caf::atom("kicked")>;
using receipt_atom = caf::atom_constant<caf::atom("receipt")>;
using inbound_atom = caf::atom_constant<caf::atom("inbound")>;

/// A committed message handed to the upstream: `payload` is its whole
/// message document as accepted (runtime/message_payload.hpp), `type` its
/// "type" member.
struct upstream_message {
  std::string id;
  std::string recipient;
  std::string payload;
  std::string type = "text";
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, upstream_message& x) {
  return f(caf::meta::type_name("upstream_message"), x.id, x.recipient,
           x.payload, x.type);
}

/// A delivery receipt from the upstream: status is "delivered" or "read"
/// (or "failed", with the On-Prem error in error_code and error_title).
struct upstream_receipt {
  std::string id;
  std::string recipient;
  std::string status;
  int64_t timestamp = 0;
  int32_t error_code = 0;
  std::string error_title{};
  /// The recipient's business-scoped user id, when the Cloud API gave one.
  std::string user_id{};
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, upstream_receipt& x) {
  return f(caf::meta::type_name("upstream_receipt"), x.id, x.recipient,
           x.status, x.timestamp, x.error_code, x.error_title, x.user_id);
}

/// A message a user sent to the business. `payload` is the message object
/// as the webhook shows it, less from, id and timestamp: a JSON object with
/// "type", the object of that type and, when present, "context" or
/// "errors" (runtime/inbound_payload.hpp checks it).
struct inbound_message {
  std::string id;
  std::string from;
  std::string payload;
  int64_t timestamp = 0;
  /// The sender's profile name ("contacts[].profile.name" of the webhook).
  std::string profile_name{};
  /// The sender's business-scoped user id, when the Cloud API gave one.
  std::string user_id{};
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, inbound_message& x) {
  return f(caf::meta::type_name("inbound_message"), x.id, x.from, x.payload,
           x.timestamp, x.profile_name, x.user_id);
}

/// What the upstream pushes to a session owner.
using upstream_owner_actor = caf::typed_actor<
  /// (kicked, shard, epoch): the session of `shard` at `epoch` ended because
  /// a newer one logged in; that owner is fenced off.
  caf::reacts_to<kicked_atom, int32_t, int64_t>,
  /// (receipt, shard, epoch, receipts) -> ok: statuses of messages the
  /// shard sent, pushed to its session at `epoch`. Answered ok once their
  /// callbacks are committed; mc_errc::upstream_fenced when the receiver
  /// is not the live owner of `shard` at `epoch`, mc_errc::database when
  /// the commit failed (the upstream pushes them again).
  caf::replies_to<receipt_atom, int32_t, int64_t,
                  std::vector<upstream_receipt>>::with<caf::ok_atom>,
  /// (inbound, shard, epoch, messages) -> ok: messages from users the
  /// shard owns; answered as receipts are.
  caf::replies_to<inbound_atom, int32_t, int64_t,
                  std::vector<inbound_message>>::with<caf::ok_atom>>;

/// The upstream: the messaging servers, or what stands in for them.
using upstream_actor = caf::typed_actor<
  /// (login, account, shard, epoch, shards_total, owner) -> ok: opens the
  /// session of (account, shard) at `epoch` of a `shards_total`-shard
  /// configuration; `owner` receives its pushes. Fails with
  /// mc_errc::upstream_fenced when a newer epoch (or shard configuration)
  /// exists, with mc_errc::upstream_refused when the refusal may pass.
  caf::replies_to<login_atom, std::string, int32_t, int64_t, int32_t,
                  upstream_owner_actor>::with<caf::ok_atom>,
  /// (submit, account, shard, epoch, messages) -> acked ids: hands a batch
  /// to the session of (account, shard) at `epoch`; ids already seen are
  /// acked without being sent again. Fails like login when the session is
  /// fenced off or gone.
  caf::replies_to<submit_atom, std::string, int32_t, int64_t,
                  std::vector<upstream_message>>::with<std::vector<std::string>>>
  ::extend_with<upstream_read_actor>;

} // namespace mc
