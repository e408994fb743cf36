#pragma once

/// The shard's session with its upstream: login, the pipelined submit
/// window and the resubmit after a failure. It speaks `upstream_actor`
/// (actors/protocol/upstream.hpp), so any upstream driver fits behind it;
/// the shard only hands it committed messages in order and hears which
/// were acked.
///
///            login ok
///   login ----------> open ---- submit failed ----> (retry delay) --+
///     ^  \             |  ^                                          |
///     |   \ fenced     |  +------------- pump <----------------------+
///     |    v           |
///     |   quit(upstream_fenced): the linked shard fences
///     +--- refused / reconnected / submit refused -------------------+
///
/// Per-recipient order: batches leave in outbox order; after any failure
/// every batch in flight goes back to the front of the outbox, oldest
/// first, and is sent again (the upstream drops what it has by id).
///
/// Media: a batch with a message that refers to a media id this session has
/// not uploaded yet waits, with everything behind it, until the media relay
/// uploaded that media (see session_media); text-only batches never wait.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/coreapp/media_relay.hpp"
#include "actors/coreapp/session_media.hpp"
#include "actors/protocol/upstream.hpp"

namespace mc {

/// (outbox, messages): committed messages to submit, in acceptance order.
using outbox_atom = caf::atom_constant<caf::atom("outbox")>;
/// (upstream, handle): the node reconnected to the upstream.
using upstream_atom = caf::atom_constant<caf::atom("upstream")>;
/// (drain): the shard drains; submit nothing more.
using drain_atom = caf::atom_constant<caf::atom("drain")>;
/// (acked, messages): the upstream acked these (session -> shard).
using acked_atom = caf::atom_constant<caf::atom("acked")>;
/// Local: log in again after a refusal.
using relogin_atom = caf::atom_constant<caf::atom("relogin")>;
/// Local: submit what the window allows, after a retry delay.
using pump_atom = caf::atom_constant<caf::atom("pump")>;

/// What a session reports to the shard that runs it.
using session_client_actor = caf::typed_actor<
  /// (acked, messages): a submitted batch was acked, exactly once each.
  caf::reacts_to<acked_atom, std::vector<upstream_message>>>;

/// The interface of a session.
using upstream_session_actor = caf::typed_actor<
  caf::reacts_to<outbox_atom, std::vector<upstream_message>>,
  caf::reacts_to<upstream_atom, upstream_actor>,
  caf::reacts_to<drain_atom>,
  caf::reacts_to<relogin_atom>,
  caf::reacts_to<pump_atom>>;

/// What a session needs to start.
struct upstream_session_config {
  std::string account;
  int32_t shard = 0;
  int64_t epoch = 0;
  int32_t shards_total = 1;
  /// Prefix of its log lines.
  std::string who;
  upstream_actor upstream;
  /// Receives the upstream's pushes (kicked, receipts, inbound).
  upstream_owner_actor owner;
  /// Receives the acks.
  session_client_actor client;
  /// Messages per submit, and submits in flight.
  size_t submit_batch = 256;
  size_t window = 4;
  /// Uploads the media of media messages; without one, messages go as they
  /// are (tests of the text path).
  media_relay_actor media;
};

/// State of a session.
struct upstream_session_state {
  static inline const char* name = "upstream_session";
  upstream_session_config cfg;
  bool logged_in = false;
  /// Set by a drain: nothing more is submitted.
  bool held = false;
  /// Committed, not yet submitted, in acceptance order.
  std::deque<upstream_message> outbox;
  /// Submitted batches awaiting their ack, by batch number.
  std::map<uint64_t, std::vector<upstream_message>> in_flight;
  uint64_t next_batch = 0;
  /// Bumped when in-flight batches are put back, so stale acks are ignored.
  uint64_t generation = 0;
  /// The batch waiting for its media upload; newer than every batch in
  /// flight, and nothing is submitted while it waits.
  std::optional<std::vector<upstream_message>> uploading;
  /// Media ids this session uploaded.
  session_media media;
};

/// Spawn linked to the shard: it quits with mc_errc::upstream_fenced when
/// the upstream knows a newer session, and ends with the shard.
upstream_session_actor::behavior_type upstream_session(
  upstream_session_actor::stateful_pointer<upstream_session_state> self,
  upstream_session_config cfg);

} // namespace mc
