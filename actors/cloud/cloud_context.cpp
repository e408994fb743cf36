#include "actors/cloud/cloud_context.hpp"

namespace mc {

namespace {

/// Recent wamids kept in memory: a few seconds of sends at the highest
/// budget, which covers a status overtaking its wamid's record.
constexpr size_t recent_cap = 20000;

} // namespace

cloud_context::cloud_context(cloud_settings settings, std::string db_uri)
  : settings_(std::move(settings)),
    token_(settings_.token_file),
    pacer_(settings_.mps),
    // One connection per sender and one for the upstream actor.
    db_(std::move(db_uri), settings_.connections + 1) {
  // nop
}

void cloud_context::fence(int32_t shard, int64_t epoch) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto& e = fenced_[shard];
  if (epoch > e)
    e = epoch;
}

bool cloud_context::fenced(int32_t shard, int64_t epoch) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = fenced_.find(shard);
  return i != fenced_.end() && epoch <= i->second;
}

void cloud_context::remember(const std::string& wamid, cloud_sent sent) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (!recent_.emplace(wamid, std::move(sent)).second)
    return;
  recent_order_.push_back(wamid);
  if (recent_order_.size() > recent_cap) {
    recent_.erase(recent_order_.front());
    recent_order_.pop_front();
  }
}

std::optional<cloud_sent> cloud_context::recall(const std::string& wamid) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = recent_.find(wamid);
  if (i == recent_.end())
    return std::nullopt;
  return i->second;
}

} // namespace mc
