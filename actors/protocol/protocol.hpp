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

namespace mc {

// -- cluster control (supervisor <-> coreapp node) ---------------------------

/// (activate_atom, shard, epoch, shards_total[, account]) -> ok_atom | error
using activate_atom = caf::atom_constant<caf::atom("activate")>;
/// (deactivate_atom, shard, epoch) -> ok_atom: drain and stop the shard.
using deactivate_atom = caf::atom_constant<caf::atom("deactivat")>;
/// (ping_atom) -> (pong_atom, node_id, std::vector<int32_t> shards,
///   std::vector<int64_t> epochs): application heartbeat.
using ping_atom = caf::atom_constant<caf::atom("ping")>;
using pong_atom = caf::atom_constant<caf::atom("pong")>;
/// (drain_atom) -> ok_atom: a shard finishes its commit in flight and stops.
using drain_atom = caf::atom_constant<caf::atom("drain")>;
/// (map_atom, config_epoch): the shard map changed, reload it.
using map_atom = caf::atom_constant<caf::atom("map")>;
/// (hold_atom, bool): webapps hold (true) or release (false) new sends.
using hold_atom = caf::atom_constant<caf::atom("hold")>;

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

/// Error codes of the cluster protocol, category atom "mc".
enum class mc_errc : uint8_t {
  none = 0,
  /// The writer's epoch is older than the shard's current epoch.
  stale_epoch,
  /// This node does not own the shard (any more).
  not_owner,
  /// The shard's queue is full.
  overloaded,
  /// The upstream refused the session or the submit.
  upstream_refused,
  /// The database failed.
  database,
  /// A shard-count change is in progress; retry shortly.
  resharding,
};

/// Makes a CAF error in the "mc" category.
caf::error make_error(mc_errc code, std::string context = {});

/// True when `err` is in the "mc" category with `code`.
bool is(const caf::error& err, mc_errc code);

/// Registers the protocol's message types and error category.
void register_protocol(caf::actor_system_config& cfg);

} // namespace mc
