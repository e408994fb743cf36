#pragma once

/// What the Cloud API simulator was asked: the messages it accepted (a
/// ring, by wamid and by recipient), duplicates by client-visible content,
/// mark-as-read calls and refusals by code.

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace mc {

/// One accepted send.
struct cloud_sent_message {
  uint64_t seq = 0;
  std::string wamid;
  /// The phone number (wa_id) or the BSUID the message went to.
  std::string recipient;
  bool by_user_id = false;
  std::string type;
  /// The request body exactly as received.
  std::string body;
  int64_t timestamp = 0;
  /// An earlier kept send had the same recipient and content.
  bool duplicate = false;
};

/// One mark-as-read call.
struct cloud_read_mark {
  std::string message_id;
  int64_t timestamp = 0;
};

/// Totals since the start or the last reset.
struct cloud_ledger_counts {
  uint64_t sends = 0; ///< send requests that reached validation
  uint64_t accepted = 0;
  uint64_t duplicates = 0;
  uint64_t reads = 0;
  uint64_t inbound = 0;
  std::map<int, uint64_t> refused; ///< by Cloud error code
};

/// The simulator's memory of traffic, bounded by `cap` messages.
class cloud_sim_ledger {
public:
  explicit cloud_sim_ledger(size_t cap);

  /// Counts a send request before its verdict.
  void count_send();

  /// Counts a refused send under its error code.
  void count_refusal(int code);

  /// Records an accepted send `m` (its wamid, recipient, type, body and
  /// timestamp set); `content_key` names what the client sent apart from
  /// the envelope (duplicate detection). Returns it with seq and duplicate.
  cloud_sent_message record_send(cloud_sent_message m,
                                 const std::string& content_key);

  /// Records an inbound message's id (what mark-as-read may name).
  void record_inbound(const std::string& wamid);

  /// Whether `id` names an inbound message or a kept send.
  bool knows_message(const std::string& id);

  /// Records a mark-as-read of `message_id`.
  void record_read(std::string message_id);

  std::optional<cloud_sent_message> find(const std::string& wamid);

  /// Kept sends from ring index `from`, at most `limit`, optionally only
  /// those to `recipient`.
  std::vector<cloud_sent_message> list(size_t from, size_t limit,
                                       const std::string& recipient = {});

  std::vector<cloud_read_mark> reads();

  cloud_ledger_counts counts();

  void reset();

  /// A new wamid: "wamid." and a base64 body unique in this process.
  static std::string make_wamid(const std::string& recipient);

private:
  void evict_locked();

  size_t cap_;
  std::mutex mtx_;
  uint64_t next_seq_ = 1;
  std::deque<cloud_sent_message> ring_;
  std::deque<std::string> ring_keys_;
  std::unordered_map<std::string, size_t> key_counts_;
  std::unordered_map<std::string, uint64_t> by_wamid_; ///< wamid -> seq
  std::deque<std::string> inbound_;
  std::unordered_set<std::string> inbound_ids_;
  std::deque<cloud_read_mark> reads_;
  cloud_ledger_counts counts_;
};

} // namespace mc
