#pragma once

/// Every message that crosses a process boundary, in one place.
///
/// Conventions: shard ids are int32_t, epochs int64_t, message ids and
/// recipients std::string. Types below need `register_protocol` on every
/// node before they can be serialized.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/meta/type_name.hpp>

#include "actors/protocol/cluster.hpp"
#include "actors/protocol/errors.hpp"

namespace mc {

// -- send path (webapp -> coreapp node -> shard) -------------------------------

/// (send_atom, shard, epoch, id, recipient, body) -> id | error
using send_atom = caf::atom_constant<caf::atom("send")>;
/// To a coreapp node: (send_batch_atom, std::vector<send_item>)
///   -> std::vector<int32_t> codes, one per item: 0 accepted (committed),
///   else an mc_errc value. To a shard actor:
///   (send_batch_atom, shard, epoch, std::vector<send_item>) -> same.
/// Batching many sends into one message is what lets one webapp feed
/// tens of thousands of messages a second to the coreapps.
using send_batch_atom = caf::atom_constant<caf::atom("sendbatch")>;

// -- upstream interface (shard <-> upstream session) ---------------------------

/// (login_atom, account, shard, epoch, shards_total) -> ok_atom | error.
/// The sender becomes the session owner and receives receipts and inbound.
using login_atom = caf::atom_constant<caf::atom("login")>;
/// (submit_atom, shard, epoch, std::vector<upstream_message>)
///   -> std::vector<std::string> acked ids | error
using submit_atom = caf::atom_constant<caf::atom("submit")>;
/// Sent by the upstream to a session owner: (kicked_atom, shard, epoch).
using kicked_atom = caf::atom_constant<caf::atom("kicked")>;
/// Sent by the upstream: (receipt_atom, shard, std::vector<upstream_receipt>).
using receipt_atom = caf::atom_constant<caf::atom("receipt")>;
/// Sent by the upstream: (inbound_atom, shard, std::vector<inbound_message>).
using inbound_atom = caf::atom_constant<caf::atom("inbound")>;

// -- local ---------------------------------------------------------------------

/// (upstream_atom, caf::actor): the node reconnected to the upstream; shard
/// actors log in again through the new handle.
/// (drain_atom) -> ok_atom: a shard finishes its commit in flight and stops.
using drain_atom = caf::atom_constant<caf::atom("drain")>;

using upstream_atom = caf::atom_constant<caf::atom("upstream")>;

using tick_atom = caf::atom_constant<caf::atom("tick")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;
using stop_atom = caf::atom_constant<caf::atom("stop")>;
using status_atom = caf::atom_constant<caf::atom("status")>;

/// A message handed to the upstream.
struct upstream_message {
  std::string id;
  std::string recipient;
  std::string body;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, upstream_message& x) {
  return f(caf::meta::type_name("upstream_message"), x.id, x.recipient,
           x.body);
}

/// One send inside a batch from a webapp.
struct send_item {
  int32_t shard = 0;
  int64_t epoch = 0;
  std::string id;
  std::string recipient;
  std::string body;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, send_item& x) {
  return f(caf::meta::type_name("send_item"), x.shard, x.epoch, x.id,
           x.recipient, x.body);
}

/// A delivery receipt from the upstream: status is "delivered" or "read"
/// (or "failed").
struct upstream_receipt {
  std::string id;
  std::string recipient;
  std::string status;
  int64_t timestamp = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, upstream_receipt& x) {
  return f(caf::meta::type_name("upstream_receipt"), x.id, x.recipient,
           x.status, x.timestamp);
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

/// Registers the protocol's message types and error category.
void register_protocol(caf::actor_system_config& cfg);

} // namespace mc
