#pragma once

/// The upstream simulator's record of what it received, shared between the
/// simulator actor and the HTTP query server.
///
/// Thread-safe: every member function may be called from any thread. The log
/// is a vector of compact fixed-size records whose strings live in one
/// character arena, so appending 30,000 messages per second costs a few
/// allocations per second, not per message.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>

#include "actors/sim/sim_accounts.hpp"
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "actors/protocol/upstream.hpp"
#include "actors/sim/sim_rules.hpp"
#include "actors/sim/sim_read_log.hpp"

namespace mc {

/// One accepted message as the simulator logged it.
struct sim_log_entry {
  /// Global acceptance sequence number, starting at 1 and never reused (not
  /// even after `reset`).
  uint64_t seq = 0;
  std::string id;
  std::string recipient;
  std::string account;
  int32_t shard = 0;
  int64_t epoch = 0;
  /// The message document exactly as it reached the upstream.
  std::string payload;
};

/// Per (account, shard) session counters.
struct sim_session_stats {
  std::string account;
  int32_t shard = 0;
  /// Newest epoch that logged in.
  int64_t epoch = 0;
  /// New messages accepted for this (account, shard) since the last reset.
  uint64_t accepted = 0;
  /// True while an owner holds the session.
  bool live = false;
};

/// A snapshot of the ledger's counters.
struct sim_stats {
  uint64_t accepted = 0;
  uint64_t duplicates = 0;
  uint64_t refused = 0;
  uint64_t kicks = 0;
  uint64_t logins = 0;
  uint64_t receipts = 0;
  uint64_t inbound = 0;
  /// Pushes made again (timeout, error answer or a new login).
  uint64_t redelivered = 0;
  /// Items pushed and not yet acknowledged, as last reported.
  uint64_t unacked = 0;
  /// Items dropped at the simulator's bound, and inbound messages not made
  /// because their shard's window was full (as last reported).
  uint64_t push_dropped = 0;
  uint64_t inbound_paused = 0;
  /// Sorted by (account, shard).
  std::vector<sim_session_stats> sessions;
};

/// Fault requests that arrived since the simulator last looked.
struct sim_fault_requests {
  /// Number of "drop all sessions" requests (any value > 0 means drop once).
  uint64_t drop_sessions = 0;
  /// The latest "refuse logins for N ms" request, if any.
  std::optional<int> refuse_logins_ms;
};

/// The simulator's shared record: accepted log, counters and fault flags.
class sim_ledger {
public:
  /// Reserves room for `expected_messages` log records up front.
  explicit sim_ledger(size_t expected_messages = 1 << 20);

  sim_ledger(const sim_ledger&) = delete;
  sim_ledger& operator=(const sim_ledger&) = delete;

  // -- recording (simulator side) ---------------------------------------------

  /// Logs the messages of `batch` whose ids were never seen, in order, and
  /// counts the others as duplicates. Sets `fresh[i]` to whether
  /// `batch[i]` was new. Returns the number of new messages.
  size_t accept(const std::string& account, int32_t shard, int64_t epoch,
                const std::vector<upstream_message>& batch,
                std::vector<bool>& fresh);

  /// Counts refused logins or submits.
  void count_refused(uint64_t n = 1);

  /// Counts a session kicked by a newer epoch or a fault.
  void count_kick(uint64_t n = 1);

  /// Counts receipts handed to session owners.
  void count_receipts(uint64_t n);

  /// Counts inbound messages handed to session owners.
  void count_inbound(uint64_t n);

  /// Counts items pushed again.
  void count_redelivered(uint64_t n);

  /// Reports the push backlog (see sim_stats).
  void set_push_backlog(uint64_t unacked, uint64_t dropped, uint64_t paused);

  /// Records a successful login of (account, shard) at `epoch`.
  void on_login(const std::string& account, int32_t shard, int64_t epoch);

  /// Records that (account, shard) has no owner any more.
  void on_session_closed(const std::string& account, int32_t shard);

  // -- queries -----------------------------------------------------------------

  /// Returns all counters and the session table.
  sim_stats stats() const;

  /// Number of records in the log.
  size_t size() const;

  /// Returns up to `limit` records starting at log index `from`.
  std::vector<sim_log_entry> entries(size_t from, size_t limit) const;

  /// Returns up to `limit` records starting at log index `from` as lines
  /// "seq\tid\trecipient\tshard\tepoch\n".
  std::string log_text(size_t from, size_t limit) const;

  /// True if `id` was accepted since the last reset.
  bool seen(std::string_view id) const;

  /// Clears the log, the set of seen ids and the counters; keeps the
  /// session table (its per-session `accepted` counts restart at 0).
  void reset();

  /// What the simulated servers check of each message (templates, media
  /// hosts, users); configured through the query server.
  sim_rules& rules() {
    return rules_;
  }

  // -- faults (query server side writes, simulator reads) ---------------------

  /// Asks the simulator to drop every session now.
  void request_drop_sessions();

  /// Asks the simulator to refuse logins for the next `ms` milliseconds.
  void request_refuse_logins(int ms);

  /// Adds `ms` milliseconds to every ack from now on (0 removes it).
  void set_extra_latency_ms(int ms);

  /// Current extra ack latency in milliseconds.
  int extra_latency_ms() const;

  /// Bumped by every fault request; lets the simulator poll cheaply.
  uint64_t fault_generation() const;

  /// Returns and clears the pending fault requests.
  sim_fault_requests take_fault_requests();

  // -- read receipts -------------------------------------------------------------

  /// The read receipts the simulator took (thread-safe on its own).
  sim_read_log& reads() { return reads_; }
  /// The registered accounts and the codes sent (POST /v1/account).
  sim_accounts& registrations() { return registrations_; }

private:
  /// A compact log record; the strings live in `text_`.
  struct record {
    uint64_t seq;
    uint64_t text_offset;
    uint32_t id_len;
    uint32_t recipient_len;
    uint32_t payload_len;
    int64_t epoch;
    int32_t shard;
    uint32_t account;
  };

  std::string_view id_of(const record& r) const;
  std::string_view recipient_of(const record& r) const;
  std::string_view payload_of(const record& r) const;
  uint32_t intern_account(const std::string& account);
  /// Requires `mtx_` held.
  bool seen_locked(std::string_view id, uint64_t hash) const;

  sim_accounts registrations_;
  mutable std::mutex mtx_;
  std::vector<record> log_;
  std::string text_;
  /// Id hash -> log index; a multimap because distinct ids may collide.
  std::unordered_multimap<uint64_t, uint32_t> index_;
  std::vector<std::string> accounts_;
  std::unordered_map<std::string, uint32_t> account_ids_;
  std::map<std::pair<std::string, int32_t>, sim_session_stats> sessions_;
  uint64_t next_seq_ = 1;
  uint64_t duplicates_ = 0;
  uint64_t refused_ = 0;
  uint64_t kicks_ = 0;
  uint64_t logins_ = 0;
  uint64_t receipts_ = 0;
  uint64_t inbound_ = 0;
  uint64_t redelivered_ = 0;
  uint64_t unacked_ = 0;
  uint64_t push_dropped_ = 0;
  uint64_t inbound_paused_ = 0;
  sim_fault_requests faults_;
  std::atomic<uint64_t> fault_gen_{0};
  std::atomic<int> extra_latency_ms_{0};
  sim_rules rules_;
  sim_read_log reads_;
};

} // namespace mc
