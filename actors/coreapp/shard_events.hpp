#pragma once

/// What the upstream reports about a shard, turned into writes off the
/// accept path: sent marks (collected, then written in one statement per
/// period) and webhook callbacks (sent, delivered and read statuses with
/// their conversation, inbound messages) in the stored callback format.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "actors/coreapp/conversation_tracker.hpp"
#include "actors/coreapp/db_writer.hpp"
#include "actors/protocol/upstream.hpp"
#include "runtime/settings_cache.hpp"

namespace mc {

/// The shard's writer of sent marks and callbacks; a plain object the
/// shard actor owns (it arms the flush timer).
class shard_events {
public:
  shard_events() = default;

  shard_events(int32_t shard, db_writer_actor writer,
               std::shared_ptr<settings_cache> settings);

  /// Records a batch the upstream acked and queues its "sent" statuses if
  /// the application wants them. True when the caller must arm the flush
  /// timer (the first ids since the last flush).
  bool acked(const std::vector<upstream_message>& done);

  /// Writes the sent marks collected so far (in ack order) and disarms.
  void flush_sent();

  /// Queues status callbacks for the receipts.
  void receipts(const std::vector<upstream_receipt>& xs);

  /// Records who sent the inbound messages (for mark-as-read) and queues
  /// their message callbacks.
  void inbound(const std::vector<inbound_message>& xs);

private:
  void queue(const char* kind, std::vector<std::string> payloads);

  int32_t shard_ = 0;
  db_writer_actor writer_;
  std::shared_ptr<settings_cache> settings_;
  /// Acked ids not yet marked sent.
  std::vector<std::string> acked_;
  bool flush_armed_ = false;
  /// The conversations of sent and delivered statuses.
  conversation_tracker conversations_;
};

} // namespace mc
