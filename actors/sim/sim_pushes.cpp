#include "actors/sim/sim_pushes.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "actors/sim/sim_inbound_samples.hpp"
#include "runtime/shard_hash.hpp"

namespace mc {

namespace {

using item = sim_pushes::item;

/// Heap order: the earliest item (then the oldest) on top.
bool later(const item& a, const item& b) {
  if (a.due != b.due)
    return a.due > b.due;
  return a.order > b.order;
}

} // namespace

std::string sim_user(int index) {
  char buf[16];
  auto n = ((index % 10'000'000) + 10'000'000) % 10'000'000;
  std::snprintf(buf, sizeof(buf), "1555%07d", n);
  return buf;
}

int64_t sim_wall_seconds() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch())
    .count();
}

sim_pushes::sim_pushes(double inbound_rate, int users, uint64_t seed,
                       std::string id_prefix)
  : inbound_rate_(inbound_rate),
    users_(users),
    inbound_prefix_(std::move(id_prefix)) {
  rng_.seed(seed);
}

void sim_pushes::schedule(item x) {
  x.order = next_order_++;
  scheduled_.push_back(std::move(x));
  std::push_heap(scheduled_.begin(), scheduled_.end(), later);
}

void sim_pushes::schedule_receipts(const std::string& account, int32_t shard,
                                   int32_t shards_total,
                                   const std::vector<upstream_message>& msgs,
                                   const std::vector<bool>& fresh,
                                   time_point acked_at,
                                   caf::timespan delivered,
                                   caf::timespan read,
                                   const std::vector<sim_verdict>& verdicts) {
  for (size_t i = 0; i < msgs.size() && i < fresh.size(); ++i) {
    if (!fresh[i])
      continue;
    if (i < verdicts.size() && verdicts[i].code != 0) {
      item x;
      x.due = acked_at + delivered;
      x.account = account;
      x.shard = shard;
      x.shards_total = shards_total;
      x.id = msgs[i].id;
      x.peer = msgs[i].recipient;
      x.text = "failed";
      x.error_code = verdicts[i].code;
      x.error_title = verdicts[i].title;
      schedule(std::move(x));
      continue;
    }
    auto make = [&](const char* status, caf::timespan delay) {
      item x;
      x.due = acked_at + delay;
      x.account = account;
      x.shard = shard;
      x.shards_total = shards_total;
      x.id = msgs[i].id;
      x.peer = msgs[i].recipient;
      x.text = status;
      schedule(std::move(x));
    };
    make("delivered", delivered);
    if (read.count() > 0)
      make("read", read);
  }
}

std::optional<sim_pushes::time_point> sim_pushes::first_due() const {
  if (scheduled_.empty())
    return std::nullopt;
  return scheduled_.front().due;
}

bool sim_pushes::inbound_active(const routes& r) const {
  return inbound_rate_ > 0 && !r.shards_total.empty();
}

void sim_pushes::park(item&& x) {
  if (parked_.size() >= max_parked) {
    ++dropped_;
    return;
  }
  parked_.push_back(std::move(x));
}

void sim_pushes::route(item&& x, const routes& r, batches& out) {
  auto total = r.shards_total.find(x.account);
  if (total == r.shards_total.end()) {
    park(std::move(x));
    return;
  }
  if (x.shards_total != total->second) {
    // The account changed its shard count: the item belongs to the shard
    // that owns its user now.
    x.shards_total = total->second;
    x.shard = shard_of(x.peer, total->second);
  }
  key k{x.account, x.shard};
  if (!r.live(k)) {
    park(std::move(x));
    return;
  }
  auto taken = out.count(k) > 0
                 ? out[k].receipts.size() + out[k].inbound.size()
                 : size_t{0};
  if (r.room && r.room(k) <= taken) {
    // The shard's window is full: the item waits for acks.
    park(std::move(x));
    return;
  }
  auto& b = out[k];
  auto ts = x.timestamp != 0 ? x.timestamp : sim_wall_seconds();
  if (x.inbound)
    b.inbound.push_back(inbound_message{std::move(x.id), std::move(x.peer),
                                        std::move(x.text), ts,
                                        std::move(x.profile_name)});
  else
    b.receipts.push_back(upstream_receipt{std::move(x.id), std::move(x.peer),
                                          std::move(x.text), ts, x.error_code,
                                          std::move(x.error_title)});
}

void sim_pushes::park_again(const std::string& account,
                            std::vector<upstream_receipt> receipts,
                            std::vector<inbound_message> inbound) {
  // shards_total 0 never matches: route() recomputes the shard.
  for (auto& rc : receipts) {
    item x;
    x.account = account;
    x.id = std::move(rc.id);
    x.peer = std::move(rc.recipient);
    x.text = std::move(rc.status);
    x.timestamp = rc.timestamp;
    x.error_code = rc.error_code;
    x.error_title = std::move(rc.error_title);
    park(std::move(x));
  }
  for (auto& m : inbound) {
    item x;
    x.inbound = true;
    x.account = account;
    x.id = std::move(m.id);
    x.peer = std::move(m.from);
    x.text = std::move(m.payload);
    x.timestamp = m.timestamp;
    x.profile_name = std::move(m.profile_name);
    park(std::move(x));
  }
}

sim_pushes::batches sim_pushes::take_parked(const routes& r) {
  batches out;
  std::vector<item> items;
  items.swap(parked_);
  for (auto& x : items)
    route(std::move(x), r, out);
  return out;
}

void sim_pushes::make_inbound(time_point now, const routes& r,
                              batches& out) {
  if (!inbound_started_) {
    inbound_started_ = true;
    last_inbound_ = now;
    return;
  }
  auto dt = std::chrono::duration<double>(now - last_inbound_).count();
  last_inbound_ = now;
  inbound_credit_ += inbound_rate_ * dt;
  // After a long pause (stop, a stalled scheduler) do not burst: at most one
  // second's worth per tick.
  inbound_credit_ = std::min(inbound_credit_, inbound_rate_ + 1);
  auto n = static_cast<int64_t>(std::floor(inbound_credit_));
  inbound_credit_ -= static_cast<double>(n);
  std::uniform_int_distribution<int> pick{0, std::max(users_, 1) - 1};
  auto& types = sim_inbound_samples::mix();
  std::uniform_int_distribution<size_t> pick_type{0, types.size() - 1};
  auto ts = sim_wall_seconds();
  for (int64_t i = 0; i < n; ++i) {
    auto from = sim_user(pick(rng_));
    // Generation pauses while the sender's shard is at its window: users
    // "send less" rather than the simulator holding an unbounded backlog.
    bool full = false;
    for (auto& acc : r.shards_total) {
      key k{acc.first, shard_of(from, acc.second)};
      auto taken = out.count(k) > 0
                     ? out[k].receipts.size() + out[k].inbound.size()
                     : size_t{0};
      full = full || (r.live(k) && r.room && r.room(k) <= taken);
    }
    if (full) {
      ++paused_;
      continue;
    }
    auto num = inbound_counter_++;
    auto payload
      = sim_inbound_samples::payload(types[pick_type(rng_)], num, from);
    auto id = inbound_prefix_ + std::to_string(num);
    for (auto& acc : r.shards_total) {
      item x;
      x.due = now;
      x.inbound = true;
      x.account = acc.first;
      x.shards_total = acc.second;
      x.shard = shard_of(from, acc.second);
      x.id = id;
      x.peer = from;
      x.text = payload;
      x.timestamp = ts;
      x.profile_name = sim_inbound_samples::profile_name(from);
      route(std::move(x), r, out);
    }
  }
}

sim_pushes::batches sim_pushes::take_due(time_point now, const routes& r) {
  batches out;
  if (inbound_active(r))
    make_inbound(now, r, out);
  // Bounded: each iteration removes one item.
  while (!scheduled_.empty() && scheduled_.front().due <= now) {
    std::pop_heap(scheduled_.begin(), scheduled_.end(), later);
    auto x = std::move(scheduled_.back());
    scheduled_.pop_back();
    route(std::move(x), r, out);
  }
  return out;
}

sim_pushes::batches sim_pushes::inject_inbound(time_point now,
                                       const std::string& account,
                                       inbound_message msg, const routes& r) {
  item x;
  x.due = now;
  x.inbound = true;
  x.account = account;
  auto total = r.shards_total.find(account);
  if (total != r.shards_total.end()) {
    x.shards_total = total->second;
    x.shard = shard_of(msg.from, total->second);
  }
  x.id = msg.id.empty() ? inbound_prefix_ + std::to_string(inbound_counter_++)
                        : std::move(msg.id);
  x.peer = std::move(msg.from);
  x.text = std::move(msg.payload);
  x.timestamp = msg.timestamp != 0 ? msg.timestamp : sim_wall_seconds();
  x.profile_name = std::move(msg.profile_name);
  batches out;
  route(std::move(x), r, out);
  return out;
}

} // namespace mc
