#include "actors/webapp/routing_table.hpp"

#include <caf/send.hpp>

namespace mc {

int32_t routing_table::shards() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return shards_;
}

std::optional<shard_route> routing_table::route(int32_t shard) const {
  std::unique_lock<std::mutex> guard{mtx_};
  auto count = shards_;
  bool waited = false;
  while (held_.count(shard) > 0
         && std::chrono::steady_clock::now() < hold_until_) {
    waited = true;
    changed_.wait_until(guard, hold_until_);
  }
  if (waited && shards_ != count)
    return std::nullopt;
  if (shard < 0 || static_cast<size_t>(shard) >= routes_.size()
      || !routes_[shard].node)
    return std::nullopt;
  return routes_[shard];
}

bool routing_table::held(int32_t shard) const {
  std::lock_guard<std::mutex> guard{mtx_};
  return held_.count(shard) > 0
         && std::chrono::steady_clock::now() < hold_until_;
}

void routing_table::install(int32_t shards, std::vector<shard_route> routes,
                            std::set<int32_t> held,
                            std::chrono::steady_clock::time_point hold_until) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    shards_ = shards;
    routes_ = std::move(routes);
    held_ = std::move(held);
    hold_until_ = hold_until;
  }
  changed_.notify_all();
}

void routing_table::set_filler(caf::actor filler) {
  std::lock_guard<std::mutex> guard{mtx_};
  filler_ = std::move(filler);
}

bool routing_table::refresh() {
  caf::actor filler;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    filler = filler_;
    last_refresh_ = std::chrono::steady_clock::now();
  }
  if (!filler)
    return false;
  caf::anon_send(filler, refresh_atom::value);
  return true;
}

void routing_table::refresh_if_older(std::chrono::milliseconds min_age) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (std::chrono::steady_clock::now() - last_refresh_ < min_age)
      return;
  }
  refresh();
}

void routing_table::drop_connection(const std::string& owner) {
  caf::actor filler;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    for (auto& r : routes_)
      if (r.owner == owner)
        r.node = nullptr;
    filler = filler_;
  }
  if (filler)
    caf::anon_send(filler, drop_atom::value, owner);
}

} // namespace mc
