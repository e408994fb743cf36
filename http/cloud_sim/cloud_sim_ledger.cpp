#include "http/cloud_sim/cloud_sim_ledger.hpp"

#include <atomic>
#include <cstdio>
#include <chrono>
#include <random>

#include "http/base64.hpp"
#include "runtime/sha256.hpp"

namespace mc {

namespace {

int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

} // namespace

cloud_sim_ledger::cloud_sim_ledger(size_t cap) : cap_(cap == 0 ? 1 : cap) {
  // Nothing else: the ring fills as sends come.
}

std::string cloud_sim_ledger::make_wamid(const std::string& recipient) {
  // The real ids are base64 of a small binary record holding the
  // recipient; a process-random prefix and a counter make ours unique.
  static const uint64_t salt = std::random_device{}();
  static std::atomic<uint64_t> counter{0};
  auto n = counter.fetch_add(1);
  std::string raw{"\x15\x02\x00\x11\x18", 5};
  raw += recipient.substr(0, 24);
  raw += '\x15';
  char tail[40];
  std::snprintf(tail, sizeof(tail), "%016llX%08llX",
                static_cast<unsigned long long>(salt),
                static_cast<unsigned long long>(n));
  raw += tail;
  return "wamid." + http::base64_encode(raw);
}

void cloud_sim_ledger::count_send() {
  std::lock_guard<std::mutex> guard{mtx_};
  ++counts_.sends;
}

void cloud_sim_ledger::count_refusal(int code) {
  std::lock_guard<std::mutex> guard{mtx_};
  ++counts_.refused[code];
}

cloud_sent_message cloud_sim_ledger::record_send(
  cloud_sent_message m, const std::string& content_key) {
  auto key = sha256_hex(m.recipient + '\n' + content_key);
  std::lock_guard<std::mutex> guard{mtx_};
  m.seq = next_seq_++;
  m.duplicate = key_counts_[key]++ > 0;
  ++counts_.accepted;
  if (m.duplicate)
    ++counts_.duplicates;
  by_wamid_[m.wamid] = m.seq;
  ring_.push_back(m);
  ring_keys_.push_back(key);
  evict_locked();
  return m;
}

void cloud_sim_ledger::evict_locked() {
  while (ring_.size() > cap_) {
    auto& key = ring_keys_.front();
    if (auto i = key_counts_.find(key); i != key_counts_.end()
                                        && --i->second == 0)
      key_counts_.erase(i);
    by_wamid_.erase(ring_.front().wamid);
    ring_.pop_front();
    ring_keys_.pop_front();
  }
  while (inbound_.size() > cap_) {
    inbound_ids_.erase(inbound_.front());
    inbound_.pop_front();
  }
  while (reads_.size() > cap_)
    reads_.pop_front();
}

void cloud_sim_ledger::record_inbound(const std::string& wamid) {
  std::lock_guard<std::mutex> guard{mtx_};
  ++counts_.inbound;
  if (inbound_ids_.insert(wamid).second)
    inbound_.push_back(wamid);
  evict_locked();
}

bool cloud_sim_ledger::knows_message(const std::string& id) {
  std::lock_guard<std::mutex> guard{mtx_};
  return inbound_ids_.count(id) > 0 || by_wamid_.count(id) > 0;
}

void cloud_sim_ledger::record_read(std::string message_id) {
  std::lock_guard<std::mutex> guard{mtx_};
  ++counts_.reads;
  reads_.push_back(cloud_read_mark{std::move(message_id), now_s()});
  evict_locked();
}

std::optional<cloud_sent_message> cloud_sim_ledger::find(
  const std::string& wamid) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = by_wamid_.find(wamid);
  if (i == by_wamid_.end() || ring_.empty())
    return std::nullopt;
  auto index = i->second - ring_.front().seq;
  if (index >= ring_.size())
    return std::nullopt;
  return ring_[index];
}

std::vector<cloud_sent_message> cloud_sim_ledger::list(
  size_t from, size_t limit, const std::string& recipient) {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<cloud_sent_message> out;
  for (size_t i = from; i < ring_.size() && out.size() < limit; ++i)
    if (recipient.empty() || ring_[i].recipient == recipient)
      out.push_back(ring_[i]);
  return out;
}

std::vector<cloud_read_mark> cloud_sim_ledger::reads() {
  std::lock_guard<std::mutex> guard{mtx_};
  return {reads_.begin(), reads_.end()};
}

cloud_ledger_counts cloud_sim_ledger::counts() {
  std::lock_guard<std::mutex> guard{mtx_};
  return counts_;
}

void cloud_sim_ledger::reset() {
  std::lock_guard<std::mutex> guard{mtx_};
  ring_.clear();
  ring_keys_.clear();
  key_counts_.clear();
  by_wamid_.clear();
  inbound_.clear();
  inbound_ids_.clear();
  reads_.clear();
  counts_ = {};
}

} // namespace mc
