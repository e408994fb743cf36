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
///       |<------------------- (receipt, s, [receipt...]) --|
///       |<------------------- (inbound, s, [message...]) --|
///
/// One live session per (account, shard); a login at a newer epoch ends the
/// older one (kicked). Submits are idempotent by message id, so a session
/// may send a batch again after any failure.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

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
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, upstream_receipt& x) {
  return f(caf::meta::type_name("upstream_receipt"), x.id, x.recipient,
           x.status, x.timestamp, x.error_code, x.error_title);
}

/// A message a user sent to the business.
struct inbound_message {
  std::string id;
  std::string from;
  std::string body;
  int64_t timestamp = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, inbound_message& x) {
  return f(caf::meta::type_name("inbound_message"), x.id, x.from, x.body,
           x.timestamp);
}

/// What the upstream pushes to a session owner.
using upstream_owner_actor = caf::typed_actor<
  /// (kicked, shard, epoch): the session of `shard` at `epoch` ended because
  /// a newer one logged in; that owner is fenced off.
  caf::reacts_to<kicked_atom, int32_t, int64_t>,
  /// (receipt, shard, receipts): statuses of messages the shard sent.
  caf::reacts_to<receipt_atom, int32_t, std::vector<upstream_receipt>>,
  /// (inbound, shard, messages): messages from users the shard owns.
  caf::reacts_to<inbound_atom, int32_t, std::vector<inbound_message>>>;

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
                  std::vector<upstream_message>>::with<std::vector<std::string>>>;

} // namespace mc
