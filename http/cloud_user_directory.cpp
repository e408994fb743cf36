#include "http/cloud_user_directory.hpp"

#include "runtime/cloud/cloud_user_id.hpp"
#include "runtime/log.hpp"
#include "runtime/store/cloud_store.hpp"

namespace mc::http {

cloud_user_directory::cloud_user_directory(std::shared_ptr<db_pool> db)
  : db_(std::move(db)) {
  // nop
}

std::map<std::string, std::string>
cloud_user_directory::phones_of(const std::vector<std::string>& user_ids) {
  std::map<std::string, std::string> out;
  std::vector<std::string> ask;
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> guard{mtx_};
    for (auto& u : user_ids) {
      auto i = cache_.find(u);
      if (i != cache_.end() && !i->second.phone.empty())
        out[u] = i->second.phone;
      else if (i == cache_.end() || now - i->second.checked >= unknown_ttl)
        ask.push_back(u);
    }
  }
  if (ask.empty())
    return out;
  std::map<std::string, std::string> found;
  try {
    found = db_->with(
      [&](pqxx::connection& c) { return cloud_phones_of(c, ask); });
  } catch (const std::exception& e) {
    // Routed by the BSUID meanwhile: only the order with the number's
    // earlier messages is at stake, not the message.
    log_error("cloud", "cannot look up user ids: ", e.what());
    return out;
  }
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& u : ask) {
    auto i = found.find(u);
    auto phone = i == found.end() ? std::string{} : i->second;
    if (!phone.empty())
      out[u] = phone;
    remember(u, std::move(phone), now);
  }
  return out;
}

std::string cloud_user_directory::routing_key_of(
  const std::string& phone_or_empty, const std::string& bsuid) {
  if (!phone_or_empty.empty() || bsuid.empty())
    return routing_key(phone_or_empty, bsuid);
  auto phones = phones_of({bsuid});
  auto i = phones.find(bsuid);
  return i != phones.end() ? routing_key(i->second, bsuid)
                           : routing_key({}, bsuid);
}

void cloud_user_directory::remember(const std::string& user, std::string phone,
                                    std::chrono::steady_clock::time_point now) {
  auto [i, added] = cache_.try_emplace(user);
  i->second = entry{std::move(phone), now};
  if (added)
    order_.push_back(user);
  while (order_.size() > capacity) {
    cache_.erase(order_.front());
    order_.pop_front();
  }
}

} // namespace mc::http
