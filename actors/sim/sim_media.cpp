#include "actors/sim/sim_media.hpp"

#include "runtime/sha256.hpp"

namespace mc {

sim_media::sim_media(size_t max_total_bytes) : max_total_(max_total_bytes) {
}

mc_errc sim_media::put(const std::string& account, const std::string& id,
                       const std::string& mime_type, const std::string& sha256,
                       std::string bytes) {
  // Hash outside the lock: a 100 MB media takes a while.
  if (sha256_hex(bytes) != sha256)
    return mc_errc::media_invalid;
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = media_.find(id);
  if (i != media_.end()) {
    ++i->second.uploads;
    return mc_errc::none;
  }
  evict_for(bytes.size());
  total_ += bytes.size();
  order_.push_back(id);
  media_.emplace(id, sim_media_entry{
                       account, mime_type, sha256,
                       std::make_shared<const std::string>(std::move(bytes)),
                       1});
  return mc_errc::none;
}

std::optional<sim_media_entry> sim_media::get(const std::string& id) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = media_.find(id);
  if (i == media_.end())
    return std::nullopt;
  return i->second;
}

size_t sim_media::count() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return media_.size();
}

void sim_media::evict_for(size_t incoming) {
  while (!order_.empty() && total_ + incoming > max_total_) {
    auto i = media_.find(order_.front());
    order_.pop_front();
    if (i == media_.end())
      continue;
    total_ -= i->second.bytes->size();
    media_.erase(i);
  }
}

} // namespace mc
