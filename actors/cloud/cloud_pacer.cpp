#include "actors/cloud/cloud_pacer.hpp"

#include <algorithm>

namespace mc {

namespace {

constexpr auto cool_down = std::chrono::seconds{5};

/// A bucket holds at most this many seconds of its rate (at least one
/// token), so a quiet node cannot burst far past its share.
constexpr double burst_s = 0.2;

} // namespace

cloud_pacer::cloud_pacer(double budget_per_s) : budget_(budget_per_s) {
  // nop
}

void cloud_pacer::share(int owned, int total) {
  std::lock_guard<std::mutex> guard{mtx_};
  share_ = total > 0 ? static_cast<double>(owned) / total : 0.0;
}

double cloud_pacer::rate_locked(clock::time_point now) const {
  auto r = budget_ * share_;
  return now < slow_until_ ? r / 2 : r;
}

double cloud_pacer::rate(clock::time_point now) {
  std::lock_guard<std::mutex> guard{mtx_};
  return rate_locked(now);
}

cloud_pacer::clock::duration cloud_pacer::take(clock::time_point now) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto r = rate_locked(now);
  if (r <= 0)
    return std::chrono::milliseconds{100};
  if (last_ != clock::time_point{}) {
    std::chrono::duration<double> dt = now - last_;
    tokens_ = std::min(std::max(1.0, r * burst_s), tokens_ + dt.count() * r);
  }
  last_ = now;
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return clock::duration::zero();
  }
  std::chrono::duration<double> wait{(1.0 - tokens_) / r};
  return std::chrono::duration_cast<clock::duration>(wait);
}

void cloud_pacer::slow_down(clock::time_point now) {
  std::lock_guard<std::mutex> guard{mtx_};
  slow_until_ = now + cool_down;
  tokens_ = 0;
}

} // namespace mc
