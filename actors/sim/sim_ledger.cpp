#include "actors/sim/sim_ledger.hpp"

#include <algorithm>
#include <functional>

namespace mc {

namespace {

uint64_t hash_id(std::string_view id) {
  return std::hash<std::string_view>{}(id);
}

void append_number(std::string& out, uint64_t x) {
  char buf[24];
  auto n = 0;
  do {
    buf[n++] = static_cast<char>('0' + x % 10);
    x /= 10;
  } while (x != 0);
  while (n > 0)
    out += buf[--n];
}

void append_signed(std::string& out, int64_t x) {
  if (x < 0) {
    out += '-';
    append_number(out, static_cast<uint64_t>(-(x + 1)) + 1);
  } else {
    append_number(out, static_cast<uint64_t>(x));
  }
}

} // namespace

sim_ledger::sim_ledger(size_t expected_messages) {
  log_.reserve(expected_messages);
  // Ids, recipients and text payloads average under 128 characters.
  text_.reserve(expected_messages * 128);
  index_.reserve(expected_messages);
}

std::string_view sim_ledger::id_of(const record& r) const {
  return std::string_view{text_.data() + r.text_offset, r.id_len};
}

std::string_view sim_ledger::recipient_of(const record& r) const {
  return std::string_view{text_.data() + r.text_offset + r.id_len,
                          r.recipient_len};
}

std::string_view sim_ledger::payload_of(const record& r) const {
  return std::string_view{text_.data() + r.text_offset + r.id_len
                            + r.recipient_len,
                          r.payload_len};
}

uint32_t sim_ledger::intern_account(const std::string& account) {
  auto i = account_ids_.find(account);
  if (i != account_ids_.end())
    return i->second;
  auto id = static_cast<uint32_t>(accounts_.size());
  accounts_.push_back(account);
  account_ids_.emplace(account, id);
  return id;
}

bool sim_ledger::seen_locked(std::string_view id, uint64_t hash) const {
  auto [first, last] = index_.equal_range(hash);
  for (auto i = first; i != last; ++i)
    if (id_of(log_[i->second]) == id)
      return true;
  return false;
}

size_t sim_ledger::accept(const std::string& account, int32_t shard,
                          int64_t epoch,
                          const std::vector<upstream_message>& batch,
                          std::vector<bool>& fresh) {
  fresh.assign(batch.size(), false);
  size_t added = 0;
  std::lock_guard<std::mutex> guard{mtx_};
  auto acc = intern_account(account);
  for (size_t i = 0; i < batch.size(); ++i) {
    auto& msg = batch[i];
    auto h = hash_id(msg.id);
    if (seen_locked(msg.id, h)) {
      ++duplicates_;
      continue;
    }
    record r{next_seq_++,
             static_cast<uint64_t>(text_.size()),
             static_cast<uint32_t>(msg.id.size()),
             static_cast<uint32_t>(msg.recipient.size()),
             static_cast<uint32_t>(msg.payload.size()),
             epoch,
             shard,
             acc};
    text_ += msg.id;
    text_ += msg.recipient;
    text_ += msg.payload;
    index_.emplace(h, static_cast<uint32_t>(log_.size()));
    log_.push_back(r);
    fresh[i] = true;
    ++added;
  }
  if (added > 0) {
    auto& s = sessions_[{account, shard}];
    if (s.account.empty()) {
      s.account = account;
      s.shard = shard;
      s.epoch = epoch;
    }
    s.accepted += added;
  }
  return added;
}

void sim_ledger::count_refused(uint64_t n) {
  std::lock_guard<std::mutex> guard{mtx_};
  refused_ += n;
}

void sim_ledger::count_kick(uint64_t n) {
  std::lock_guard<std::mutex> guard{mtx_};
  kicks_ += n;
}

void sim_ledger::count_receipts(uint64_t n) {
  std::lock_guard<std::mutex> guard{mtx_};
  receipts_ += n;
}

void sim_ledger::count_inbound(uint64_t n) {
  std::lock_guard<std::mutex> guard{mtx_};
  inbound_ += n;
}

void sim_ledger::count_redelivered(uint64_t n) {
  std::lock_guard<std::mutex> guard{mtx_};
  redelivered_ += n;
}

void sim_ledger::set_push_backlog(uint64_t unacked, uint64_t dropped,
                                  uint64_t paused) {
  std::lock_guard<std::mutex> guard{mtx_};
  unacked_ = unacked;
  push_dropped_ = dropped;
  inbound_paused_ = paused;
}

void sim_ledger::on_login(const std::string& account, int32_t shard,
                          int64_t epoch) {
  std::lock_guard<std::mutex> guard{mtx_};
  ++logins_;
  auto& s = sessions_[{account, shard}];
  s.account = account;
  s.shard = shard;
  s.epoch = std::max(s.epoch, epoch);
  s.live = true;
}

void sim_ledger::on_session_closed(const std::string& account, int32_t shard) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = sessions_.find({account, shard});
  if (i != sessions_.end())
    i->second.live = false;
}

sim_stats sim_ledger::stats() const {
  std::lock_guard<std::mutex> guard{mtx_};
  sim_stats out;
  out.accepted = log_.size();
  out.duplicates = duplicates_;
  out.refused = refused_;
  out.kicks = kicks_;
  out.logins = logins_;
  out.receipts = receipts_;
  out.inbound = inbound_;
  out.redelivered = redelivered_;
  out.unacked = unacked_;
  out.push_dropped = push_dropped_;
  out.inbound_paused = inbound_paused_;
  out.sessions.reserve(sessions_.size());
  for (auto& kv : sessions_)
    out.sessions.push_back(kv.second);
  return out;
}

size_t sim_ledger::size() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return log_.size();
}

std::vector<sim_log_entry> sim_ledger::entries(size_t from,
                                               size_t limit) const {
  std::vector<sim_log_entry> out;
  std::lock_guard<std::mutex> guard{mtx_};
  if (from >= log_.size())
    return out;
  auto last = from + std::min(limit, log_.size() - from);
  out.reserve(last - from);
  for (auto i = from; i < last; ++i) {
    auto& r = log_[i];
    out.push_back(sim_log_entry{r.seq, std::string{id_of(r)},
                                std::string{recipient_of(r)},
                                accounts_[r.account], r.shard, r.epoch,
                                std::string{payload_of(r)}});
  }
  return out;
}

std::string sim_ledger::log_text(size_t from, size_t limit) const {
  std::string out;
  std::lock_guard<std::mutex> guard{mtx_};
  if (from >= log_.size())
    return out;
  auto last = from + std::min(limit, log_.size() - from);
  out.reserve((last - from) * 80);
  for (auto i = from; i < last; ++i) {
    auto& r = log_[i];
    append_number(out, r.seq);
    out += '\t';
    out += id_of(r);
    out += '\t';
    out += recipient_of(r);
    out += '\t';
    append_signed(out, r.shard);
    out += '\t';
    append_signed(out, r.epoch);
    out += '\n';
  }
  return out;
}

bool sim_ledger::seen(std::string_view id) const {
  std::lock_guard<std::mutex> guard{mtx_};
  return seen_locked(id, hash_id(id));
}

void sim_ledger::reset() {
  std::lock_guard<std::mutex> guard{mtx_};
  // clear() keeps the reserved capacity, so a reset between benchmark runs
  // does not pay for growing the log again.
  log_.clear();
  text_.clear();
  index_.clear();
  duplicates_ = 0;
  refused_ = 0;
  kicks_ = 0;
  logins_ = 0;
  receipts_ = 0;
  inbound_ = 0;
  redelivered_ = 0;
  for (auto& kv : sessions_)
    kv.second.accepted = 0;
}

void sim_ledger::request_drop_sessions() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    ++faults_.drop_sessions;
  }
  ++fault_gen_;
}

void sim_ledger::request_refuse_logins(int ms) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    faults_.refuse_logins_ms = std::max(ms, 0);
  }
  ++fault_gen_;
}

void sim_ledger::set_extra_latency_ms(int ms) {
  extra_latency_ms_ = std::max(ms, 0);
  ++fault_gen_;
}

int sim_ledger::extra_latency_ms() const {
  return extra_latency_ms_;
}

uint64_t sim_ledger::fault_generation() const {
  return fault_gen_;
}

sim_fault_requests sim_ledger::take_fault_requests() {
  std::lock_guard<std::mutex> guard{mtx_};
  sim_fault_requests out = faults_;
  faults_ = sim_fault_requests{};
  return out;
}

} // namespace mc
