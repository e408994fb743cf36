#pragma once

/// What the upstream reports about a shard, turned into writes off the
/// accept path: sent marks (collected, then written in one statement per
/// period) and webhook callbacks (sent, delivered and read statuses with
/// their conversation, inbound messages) in the stored callback format,
/// each with the key that deduplicates it in the callback queue.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "actors/coreapp/conversation_tracker.hpp"
#include "actors/coreapp/db_writer.hpp"
#include "actors/protocol/upstream.hpp"
#include "runtime/settings_cache.hpp"

namespace mc {

/// Callbacks for one write (callback_atom of the db_writer), triplewise.
struct callback_batch {
  std::vector<std::string> kinds;
  std::vector<std::string> payloads;
  std::vector<std::string> keys;

  void add(const char* kind, std::string payload, std::string key);

  /// Appends `other` after these.
  void append(callback_batch other);

  size_t size() const {
    return payloads.size();
  }

  bool empty() const {
    return payloads.empty();
  }
};

/// The inbound side of a push: who sent what (for mark-as-read) and the
/// message callbacks.
struct inbound_writes {
  std::vector<std::string> ids;
  std::vector<std::string> senders;
  callback_batch callbacks;
};

/// The shard's maker of sent marks and callbacks; a plain object the shard
/// actor owns (it arms the flush timer and makes the writes). Callbacks are
/// made whether or not a webhook URL is set: they wait in the queue
/// (bounded by its cap and expiry) until one is, as On-Prem's
/// callback_persist did.
class shard_events {
public:
  /// Sent statuses kept for a failed write before the oldest are dropped.
  static constexpr size_t max_unwritten_sent = 100000;

  shard_events() = default;

  shard_events(int32_t shard, db_writer_actor writer,
               std::shared_ptr<settings_cache> settings);

  /// Records a batch the upstream acked and keeps its "sent" statuses (if
  /// the application wants them) until take_sent_statuses. True when the
  /// caller must arm the flush timer (the first ids since the last flush).
  bool acked(const std::vector<upstream_message>& done);

  /// Writes the sent marks collected so far (in ack order) and disarms.
  void flush_sent();

  /// The sent statuses not yet written, oldest first; the caller writes
  /// them and gives them back with requeue_sent_statuses if that failed.
  callback_batch take_sent_statuses();

  /// Puts statuses whose write failed back ahead of newer ones; beyond
  /// max_unwritten_sent the oldest are dropped and counted.
  void requeue_sent_statuses(callback_batch xs);

  /// Sent statuses dropped at the bound so far.
  uint64_t dropped_sent() const {
    return dropped_sent_;
  }

  /// Status callbacks for the receipts.
  callback_batch receipts(const std::vector<upstream_receipt>& xs);

  /// Who sent the inbound messages (for mark-as-read) and their message
  /// callbacks.
  inbound_writes inbound(const std::vector<inbound_message>& xs);

private:
  void bound_sent();

  int32_t shard_ = 0;
  db_writer_actor writer_;
  std::shared_ptr<settings_cache> settings_;
  /// Acked ids not yet marked sent.
  std::vector<std::string> acked_;
  bool flush_armed_ = false;
  /// Sent statuses not yet written (made by us, so no upstream pushes them
  /// again: kept until written).
  callback_batch unwritten_sent_;
  uint64_t dropped_sent_ = 0;
  /// The conversations of sent and delivered statuses.
  conversation_tracker conversations_;
};

} // namespace mc
