#include "http/cloud_sim/cloud_sim_media.hpp"

#include <random>

#include "runtime/sha256.hpp"

namespace mc {

namespace {

/// A 16-digit id like the reference's ("1037543291543636").
std::string random_media_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string id = std::to_string(1 + rng() % 9);
  while (id.size() < 16)
    id += static_cast<char>('0' + rng() % 10);
  return id;
}

} // namespace

cloud_sim_media::cloud_sim_media(size_t cap_bytes) : cap_bytes_(cap_bytes) {
  // Nothing else: the store fills with uploads.
}

std::optional<cloud_media_entry> cloud_sim_media::put(std::string mime_type,
                                                      std::string bytes) {
  cloud_media_entry e;
  e.mime_type = std::move(mime_type);
  e.sha256 = sha256_hex(bytes);
  auto size = bytes.size();
  e.bytes = std::make_shared<const std::string>(std::move(bytes));
  std::lock_guard<std::mutex> guard{mtx_};
  if (counts_.stored_bytes + size > cap_bytes_)
    return std::nullopt;
  do
    e.id = random_media_id();
  while (entries_.count(e.id) > 0);
  entries_[e.id] = e;
  ++counts_.uploads;
  ++counts_.stored;
  counts_.stored_bytes += size;
  return e;
}

std::optional<cloud_media_entry> cloud_sim_media::get(const std::string& id) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = entries_.find(id);
  if (i == entries_.end())
    return std::nullopt;
  return i->second;
}

void cloud_sim_media::count_retrieval() {
  std::lock_guard<std::mutex> guard{mtx_};
  ++counts_.retrievals;
}

void cloud_sim_media::count_download() {
  std::lock_guard<std::mutex> guard{mtx_};
  ++counts_.downloads;
}

bool cloud_sim_media::erase(const std::string& id) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = entries_.find(id);
  if (i == entries_.end())
    return false;
  counts_.stored_bytes -= i->second.bytes->size();
  --counts_.stored;
  ++counts_.deletes;
  entries_.erase(i);
  return true;
}

cloud_media_counts cloud_sim_media::counts() {
  std::lock_guard<std::mutex> guard{mtx_};
  return counts_;
}

void cloud_sim_media::reset() {
  std::lock_guard<std::mutex> guard{mtx_};
  entries_.clear();
  counts_ = {};
}

} // namespace mc
