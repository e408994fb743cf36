#pragma once

/// The upstream simulator: a stand-in for the WhatsApp messaging servers.
///
/// One actor serves many accounts and shards through `upstream_actor`
/// (actors/protocol/upstream.hpp: login, submit and mark_read, recorded in
/// the ledger's read log; it pushes kicked,
/// receipt and inbound to session owners). It models what matters
/// to multiconnect: one live session per (account, shard) fenced by epochs,
/// idempotent accept by message id, a per-session throughput cap and ack
/// latency, delayed delivered/read receipts, inbound messages from simulated
/// users routed to the shard owning the sender, and fault injection through
/// the shared `sim_ledger`.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_clock.hpp>
#include <caf/atom.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/lifecycle.hpp"
#include "actors/protocol/upstream.hpp"
#include "actors/protocol/upstream_account.hpp"
#include "actors/protocol/upstream_contacts.hpp"
#include "actors/sim/sim_directory.hpp"
#include "actors/protocol/upstream_media.hpp"
#include "actors/sim/sim_ledger.hpp"
#include "actors/sim/sim_media.hpp"
#include "actors/sim/sim_pushes.hpp"
#include "actors/sim/sim_unacked.hpp"

namespace mc {

// -- local-only messages (never cross the network) ---------------------------

/// (sim_ack_atom, token): a delayed ack is due (sent by the simulator to
/// itself).
using sim_ack_atom = caf::atom_constant<caf::atom("sim_ack")>;
/// (sim_inject_atom, account, inbound_message): deliver one inbound message
/// now. An empty id or zero timestamp is filled in by the simulator.
using sim_inject_atom = caf::atom_constant<caf::atom("sim_inject")>;
/// (sim_fault_atom): fault requests are pending in the ledger; apply now.
using sim_fault_atom = caf::atom_constant<caf::atom("sim_fault")>;
/// (sim_resend_atom): unacknowledged pushes may be due again.
using sim_resend_atom = caf::atom_constant<caf::atom("sim_resend")>;
/// (stop_atom): stops all timers (receipts and inbound stop flowing); the
/// actor stays alive for queries. An exit message stops and terminates.

/// The simulator's full interface: the upstream, its contact and media calls
/// and its local messages.
using upstream_sim_actor = upstream_actor::extend_with<
  upstream_contacts_actor>::extend_with<upstream_media_actor>::
  extend_with<upstream_account_actor>::extend<
  caf::reacts_to<sim_ack_atom, uint64_t>,
  caf::reacts_to<caf::tick_atom>,
  caf::reacts_to<sim_inject_atom, std::string, inbound_message>,
  caf::reacts_to<sim_fault_atom>,
  caf::reacts_to<sim_resend_atom>,
  caf::reacts_to<stop_atom>>;

/// Knobs of the simulator; see runtime/options.hpp for their flags.
struct sim_config {
  /// Messages per second per session, 0 = no cap.
  int session_rate = 0;
  /// Ack latency in milliseconds.
  int latency_ms = 1;
  /// Delay from ack to the "delivered" receipt.
  int delivered_ms = 200;
  /// Delay from ack to the "read" receipt, 0 = never.
  int read_ms = 1000;
  /// Inbound messages per second over all users (sent to every account).
  double inbound_rate = 0;
  /// Number of simulated users sending inbound messages.
  int users = 100;
  /// Minimum spacing of receipt and inbound batches in milliseconds.
  int tick_ms = 20;
  /// Unacknowledged pushed items per (account, shard) before the simulator
  /// stops pushing there, and the wait for a push's answer.
  int push_window = 2000;
  int push_timeout_ms = 2000;
  /// Seed of the inbound user picker, for reproducible runs.
  uint64_t seed = 42;
  /// Who is a WhatsApp user (contact checks); a private one when null.
  std::shared_ptr<sim_directory> directory;
  /// The media it holds, shared with the query server; made by the
  /// simulator when null.
  std::shared_ptr<sim_media> media;
};

/// State of the upstream simulator actor.
struct upstream_sim_state {
  using time_point = caf::actor_clock::time_point;
  /// (account, shard).
  using key = std::pair<std::string, int32_t>;

  /// A live session.
  struct session {
    upstream_owner_actor owner;
    /// The actor that logged in (the owner or its session actor): the
    /// only one whose submits the session takes.
    caf::actor_addr client;
    int64_t epoch = 0;
    /// When the session's rate cap lets the next message through.
    time_point next_free{};
  };

  /// An ack waiting for its latency and rate cap.
  struct pending_ack {
    caf::typed_response_promise<std::vector<std::string>> promise;
    std::vector<std::string> ids;
    key session_key;
    upstream_owner_actor owner;
    int64_t epoch = 0;
  };

  using outgoing = sim_pushes::item;

  sim_config cfg;
  std::shared_ptr<sim_ledger> ledger;
  /// Live sessions only.
  std::map<key, session> sessions;
  /// Newest epoch ever seen per (account, shard); survives dropped sessions.
  std::map<key, int64_t> newest_epoch;
  /// Shard count per account from its latest login.
  std::map<std::string, int32_t> shards_total;
  /// Per account, the lowest epoch of its current shard configuration: a
  /// login of an older configuration is refused (the account was re-sharded).
  std::map<std::string, int64_t> config_floor;
  std::unordered_map<uint64_t, pending_ack> acks;
  /// Receipts and inbound messages on their way to owners.
  sim_pushes pushes;
  /// Pushed and not yet acknowledged by the session at the current epoch.
  sim_unacked unacked;
  bool resend_armed = false;
  /// An ack freed room in a window while items were parked.
  bool room_freed = false;
  uint64_t next_ack_token = 1;
  /// Logins are refused until this time (fault).
  time_point refuse_logins_until{};
  uint64_t fault_gen_seen = 0;
  bool tick_armed = false;
  bool stopped = false;
  time_point last_tick{};

  static inline const char* name = "upstream_sim";
};

/// Spawn with `sys.spawn(upstream_sim, cfg, ledger)`. Refusals are
/// mc_errc::upstream_fenced for a newer epoch or shard configuration,
/// mc_errc::upstream_refused otherwise (logins refused for a while, no
/// session, a session closed before its ack, an epoch in use).
upstream_sim_actor::behavior_type
upstream_sim(upstream_sim_actor::stateful_pointer<upstream_sim_state> self,
             sim_config cfg, std::shared_ptr<sim_ledger> ledger);

/// Returns a thread-safe function that injects an inbound message into `sim`
/// (for `sim_query_server`).
std::function<void(inbound_message, std::string)>
make_sim_injector(upstream_sim_actor sim);

/// Returns a thread-safe function that tells `sim` to apply pending fault
/// requests now (for `sim_query_server`).
std::function<void()> make_sim_fault_notifier(upstream_sim_actor sim);

} // namespace mc
