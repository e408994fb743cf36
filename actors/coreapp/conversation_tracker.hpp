#pragma once

/// The conversations of a shard's users, for the conversation and pricing
/// objects of sent and delivered statuses (conversation-based pricing,
/// developers.facebook.com/docs/whatsapp/api/webhooks/outbound and
/// .../docs/whatsapp/pricing): a conversation lasts 24 hours from the first
/// message the business sends outside one; it is user_initiated when the
/// user wrote in the 24 hours before, else business_initiated.
///
/// The shard can keep this because a user's messages in both directions
/// belong to the user's shard. It lives in memory: after a failover the
/// next owner opens a new conversation at the user's next message.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace mc {

/// A plain object the shard's event writer owns.
class conversation_tracker {
public:
  /// A conversation window; `id` is 32 hex digits as in the reference.
  struct conversation {
    std::string id;
    std::string origin; ///< business_initiated or user_initiated
    int64_t expires = 0; ///< unix seconds
  };

  /// Length of a conversation and of the window in which a user's message
  /// makes the business's reply user_initiated.
  static constexpr int64_t window_s = 24 * 3600;

  /// A user wrote to the business at `ts` (unix seconds).
  void user_wrote(const std::string& user, int64_t ts);

  /// The conversation that a message the business sends to `user` at `ts`
  /// belongs to; opens one when none is open.
  conversation business_sent(const std::string& user, int64_t ts);

  /// The conversation open for `user` at `ts`, if any.
  std::optional<conversation> open_at(const std::string& user,
                                      int64_t ts) const;

  /// Conversations tracked (open or expired, not yet pruned).
  size_t size() const { return open_.size(); }

private:
  /// Forgets expired conversations and old inbound times once the maps
  /// grew past `prune_at_`, so memory follows the active users.
  void prune(int64_t now);

  std::unordered_map<std::string, conversation> open_;
  std::unordered_map<std::string, int64_t> last_inbound_;
  size_t prune_at_ = 4096;
};

} // namespace mc
