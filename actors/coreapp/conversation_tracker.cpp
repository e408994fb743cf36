#include "actors/coreapp/conversation_tracker.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <iterator>

#include "runtime/shard_hash.hpp"

namespace mc {

namespace {

/// 32 hex digits from the user and the opening time: stable for one
/// conversation, different for the next.
std::string conversation_id(const std::string& user, int64_t started) {
  auto key = user + ":" + std::to_string(started);
  auto a = recipient_hash(key);
  auto b = recipient_hash(key + ":2");
  char buf[33];
  std::snprintf(buf, sizeof(buf), "%016" PRIx64 "%016" PRIx64, a, b);
  return buf;
}

} // namespace

void conversation_tracker::user_wrote(const std::string& user, int64_t ts) {
  auto& last = last_inbound_[user];
  if (ts > last)
    last = ts;
  prune(ts);
}

conversation_tracker::conversation
conversation_tracker::business_sent(const std::string& user, int64_t ts) {
  if (auto open = open_at(user, ts))
    return *open;
  auto last = last_inbound_.find(user);
  bool replied = last != last_inbound_.end() && ts - last->second < window_s;
  conversation c{conversation_id(user, ts),
                 replied ? "user_initiated" : "business_initiated",
                 ts + window_s};
  open_[user] = c;
  prune(ts);
  return c;
}

std::optional<conversation_tracker::conversation>
conversation_tracker::open_at(const std::string& user, int64_t ts) const {
  auto i = open_.find(user);
  if (i == open_.end() || ts >= i->second.expires)
    return std::nullopt;
  return i->second;
}

void conversation_tracker::prune(int64_t now) {
  if (open_.size() + last_inbound_.size() < prune_at_)
    return;
  for (auto i = open_.begin(); i != open_.end();)
    i = now >= i->second.expires ? open_.erase(i) : std::next(i);
  for (auto i = last_inbound_.begin(); i != last_inbound_.end();)
    i = now - i->second >= window_s ? last_inbound_.erase(i) : std::next(i);
  // Still large: every entry is live; look again at twice the size.
  prune_at_ = std::max<size_t>(4096, 2 * (open_.size() + last_inbound_.size()));
}

} // namespace mc
