#pragma once

/// The simulator's receipts and inbound messages on their way to session
/// owners: a plain object the upstream_sim actor owns. It schedules
/// receipts, makes inbound traffic from simulated users, routes each item to
/// the shard that owns its user now, and parks what has no owner until a
/// login; the actor sends the batches it returns.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor_clock.hpp>

#include "actors/protocol/upstream.hpp"
#include "actors/sim/sim_rules.hpp"

namespace mc {

class sim_pushes {
public:
  using time_point = caf::actor_clock::time_point;
  /// (account, shard).
  using key = std::pair<std::string, int32_t>;

  /// A receipt or inbound message waiting to be handed to a session owner.
  struct item {
    time_point due{};
    /// Tie breaker: equal due times leave in creation order.
    uint64_t order = 0;
    bool inbound = false;
    std::string account;
    /// Target shard and the account's shard count when it was computed; the
    /// shard is recomputed from `peer` if the shard count changed since.
    int32_t shard = -1;
    int32_t shards_total = 0;
    std::string id;
    /// Recipient of a receipt or sender of an inbound message.
    std::string peer;
    /// Receipt status or inbound payload (runtime/inbound_payload.hpp).
    std::string text;
    int64_t timestamp = 0;
    /// The error of a "failed" receipt.
    int32_t error_code = 0;
    std::string error_title;
    /// The sender's profile name (inbound only).
    std::string profile_name{};
  };

  /// What one session owner gets in one round.
  struct batch {
    std::vector<upstream_receipt> receipts;
    std::vector<inbound_message> inbound;
  };

  using batches = std::map<key, batch>;

  /// Where items can go now: the shard count of each account (from its
  /// latest login), whether a session is live and how many more items its
  /// window of unacknowledged pushes takes (sim_unacked).
  struct routes {
    const std::map<std::string, int32_t>& shards_total;
    std::function<bool(const key&)> live;
    std::function<size_t(const key&)> room;
  };

  /// Items parked (no owner, or its window full) before new ones are
  /// dropped and counted: the simulator's memory is bounded.
  static constexpr size_t max_parked = 500000;

  sim_pushes() = default;

  /// `inbound_rate` messages per second over `users` simulated users,
  /// picked with `seed`, of the types of sim_inbound_samples::mix();
  /// inbound ids start with `id_prefix`.
  sim_pushes(double inbound_rate, int users, uint64_t seed,
             std::string id_prefix);

  /// Schedules `x` for its due time.
  void schedule(item x);

  /// Schedules the "delivered" receipt (after `delivered`) and the "read"
  /// one (after `read`, none if zero) of each message accepted for the
  /// first time (`fresh`), counted from `acked_at`. A message whose
  /// verdict has a code gets one "failed" receipt with that error instead
  /// (after `delivered`); `verdicts` is empty or one per message.
  void schedule_receipts(const std::string& account, int32_t shard,
                         int32_t shards_total,
                         const std::vector<upstream_message>& msgs,
                         const std::vector<bool>& fresh, time_point acked_at,
                         caf::timespan delivered, caf::timespan read,
                         const std::vector<sim_verdict>& verdicts = {});

  /// The due time of the earliest scheduled item, if any.
  std::optional<time_point> first_due() const;

  /// True when inbound traffic is generated (some account logged in).
  bool inbound_active(const routes& r) const;

  /// The inbound messages of the users since the last call, then every
  /// scheduled item due at `now`.
  batches take_due(time_point now, const routes& r);

  /// Every parked item that has an owner now.
  batches take_parked(const routes& r);

  /// One inbound message for `account` now; an empty id or a zero
  /// timestamp is filled in.
  batches inject_inbound(time_point now, const std::string& account,
                 inbound_message msg, const routes& r);

  /// Parks unacknowledged items of `account` again, to be routed anew by
  /// their peers (the account's shard count changed).
  void park_again(const std::string& account,
                  std::vector<upstream_receipt> receipts,
                  std::vector<inbound_message> inbound);

  /// True when items are parked.
  bool has_parked() const {
    return !parked_.empty();
  }

  /// Items dropped at max_parked so far.
  uint64_t dropped() const {
    return dropped_;
  }

  /// Inbound messages not generated because their shard's window was full.
  uint64_t paused() const {
    return paused_;
  }

private:
  void route(item&& x, const routes& r, batches& out);
  void park(item&& x);
  void make_inbound(time_point now, const routes& r, batches& out);

  double inbound_rate_ = 0;
  int users_ = 100;
  /// Min-heap on (due, order) of items not yet due.
  std::vector<item> scheduled_;
  /// Due items whose session has no owner; retried on every login.
  std::vector<item> parked_;
  uint64_t next_order_ = 0;
  time_point last_inbound_{};
  bool inbound_started_ = false;
  double inbound_credit_ = 0;
  uint64_t inbound_counter_ = 0;
  uint64_t dropped_ = 0;
  uint64_t paused_ = 0;
  std::string inbound_prefix_;
  std::mt19937_64 rng_;
};

/// The phone number of simulated user `index`: "1555" followed by `index`
/// as 7 digits (modulo 10^7).
std::string sim_user(int index);

/// Wall-clock seconds since the epoch (receipt and inbound timestamps).
int64_t sim_wall_seconds();

} // namespace mc
