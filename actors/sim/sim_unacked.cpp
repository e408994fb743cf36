#include "actors/sim/sim_unacked.hpp"

#include <algorithm>

namespace mc {

sim_unacked::sim_unacked(size_t window, caf::timespan timeout,
                         caf::timespan max_backoff)
  : window_(window), timeout_(timeout), max_backoff_(max_backoff) {
  // nop
}

size_t sim_unacked::room(const key& k) const {
  auto i = per_key_.find(k);
  auto used = i == per_key_.end() ? size_t{0} : i->second;
  return used >= window_ ? 0 : window_ - used;
}

uint64_t sim_unacked::add(const key& k, int64_t epoch,
                          std::vector<upstream_receipt> receipts,
                          std::vector<inbound_message> inbound) {
  auto no = next_no_++;
  auto& p = pushes_[no];
  p.no = no;
  p.k = k;
  p.epoch = epoch;
  p.receipts = std::move(receipts);
  p.inbound = std::move(inbound);
  per_key_[k] += p.size();
  items_ += p.size();
  return no;
}

const sim_unacked::push* sim_unacked::find(uint64_t no) const {
  auto i = pushes_.find(no);
  return i == pushes_.end() ? nullptr : &i->second;
}

void sim_unacked::sent(uint64_t no, int64_t epoch) {
  auto i = pushes_.find(no);
  if (i == pushes_.end())
    return;
  i->second.epoch = epoch;
  i->second.in_flight = true;
  ++i->second.attempts;
}

bool sim_unacked::ack(uint64_t no, int64_t epoch) {
  auto i = pushes_.find(no);
  if (i == pushes_.end() || i->second.epoch != epoch)
    return false;
  auto n = i->second.size();
  auto& used = per_key_[i->second.k];
  used -= std::min(used, n);
  if (used == 0)
    per_key_.erase(i->second.k);
  items_ -= std::min(items_, n);
  pushes_.erase(i);
  return true;
}

void sim_unacked::failed(uint64_t no, int64_t epoch, time_point now) {
  auto i = pushes_.find(no);
  if (i == pushes_.end() || i->second.epoch != epoch)
    return;
  auto& p = i->second;
  p.in_flight = false;
  caf::timespan backoff = std::chrono::milliseconds{250};
  for (int a = 1; a < p.attempts && backoff < max_backoff_; ++a)
    backoff *= 2;
  p.retry_at = now + std::min(backoff, max_backoff_);
}

std::vector<uint64_t> sim_unacked::due(const key& k, bool all,
                                       time_point now) const {
  std::vector<uint64_t> out;
  // In push order: a shard gets its receipts again in the order it got
  // them first.
  for (auto& [no, p] : pushes_)
    if (p.k == k && (all || (!p.in_flight && p.retry_at <= now)))
      out.push_back(no);
  return out;
}

std::optional<sim_unacked::time_point> sim_unacked::next_retry() const {
  std::optional<time_point> out;
  for (auto& kv : pushes_)
    if (!kv.second.in_flight && (!out || kv.second.retry_at < *out))
      out = kv.second.retry_at;
  return out;
}

std::vector<sim_unacked::key> sim_unacked::keys() const {
  std::vector<key> out;
  for (auto& kv : per_key_)
    out.push_back(kv.first);
  return out;
}

std::vector<sim_unacked::push>
sim_unacked::take_account(const std::string& account) {
  std::vector<push> out;
  for (auto i = pushes_.begin(); i != pushes_.end();) {
    if (i->second.k.first != account) {
      ++i;
      continue;
    }
    items_ -= std::min(items_, i->second.size());
    per_key_.erase(i->second.k);
    out.push_back(std::move(i->second));
    i = pushes_.erase(i);
  }
  return out;
}

} // namespace mc
