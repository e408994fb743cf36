#include "http/cloud_sim/cloud_sim_limits.hpp"

#include <algorithm>

namespace mc {

namespace {

constexpr size_t prune_above = 100000;

/// Refills in small steps add up with rounding errors: a token counts as
/// whole a hair below 1.
constexpr double whole = 1 - 1e-9;

} // namespace

cloud_sim_limits::cloud_sim_limits(int mps, int mps_burst, int pair_per_min,
                                   int pair_burst)
  : mps_(mps),
    mps_burst_(std::max(1, mps_burst)),
    pair_per_s_(pair_per_min / 60.0),
    pair_burst_(std::max(1, pair_burst)) {
  reset();
}

void cloud_sim_limits::refill(bucket& b, double per_s, double cap,
                              clock::time_point now) {
  std::chrono::duration<double> dt = now - b.at;
  b.tokens = std::min(cap, b.tokens + dt.count() * per_s);
  b.at = now;
}

cloud_limit_verdict cloud_sim_limits::admit(const std::string& recipient,
                                            clock::time_point now) {
  std::lock_guard<std::mutex> guard{mtx_};
  refill(number_, mps_, mps_burst_, now);
  if (number_.tokens < whole)
    return cloud_limit_verdict::throughput;
  auto [it, fresh] = pairs_.try_emplace(recipient);
  auto& pair = it->second;
  if (fresh)
    pair = bucket{pair_burst_, now};
  refill(pair, pair_per_s_, pair_burst_, now);
  if (pair.tokens < whole)
    return cloud_limit_verdict::pair;
  number_.tokens -= 1;
  pair.tokens -= 1;
  if (pairs_.size() > prune_above)
    prune_locked(now);
  return cloud_limit_verdict::ok;
}

void cloud_sim_limits::prune_locked(clock::time_point now) {
  for (auto i = pairs_.begin(); i != pairs_.end();) {
    refill(i->second, pair_per_s_, pair_burst_, now);
    if (i->second.tokens >= pair_burst_ - 1e-9)
      i = pairs_.erase(i);
    else
      ++i;
  }
}

void cloud_sim_limits::reset() {
  std::lock_guard<std::mutex> guard{mtx_};
  number_ = bucket{mps_burst_, clock::now()};
  pairs_.clear();
}

} // namespace mc
