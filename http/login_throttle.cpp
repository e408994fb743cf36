#include "http/login_throttle.hpp"

#include <algorithm>

namespace mc::http {

login_throttle::login_throttle() : login_throttle(config{}) {
  // nop
}

login_throttle::login_throttle(config cfg) : cfg_(cfg) {
  // nop
}

std::chrono::seconds login_throttle::remaining(const table& t,
                                               const std::string& key,
                                               clock::time_point now) {
  auto i = t.find(key);
  if (i == t.end() || i->second.locked_until <= now)
    return std::chrono::seconds{0};
  // Rounded up: "retry in 0 s" while still locked would be a lie.
  auto left = i->second.locked_until - now;
  return std::chrono::ceil<std::chrono::seconds>(left);
}

std::chrono::seconds login_throttle::locked_for(const std::string& user,
                                                const std::string& address,
                                                clock::time_point now) {
  std::lock_guard<std::mutex> guard{mtx_};
  return std::max(remaining(users_, user, now),
                  remaining(addresses_, address, now));
}

void login_throttle::record_failure(const std::string& user,
                                    const std::string& address,
                                    clock::time_point now) {
  std::lock_guard<std::mutex> guard{mtx_};
  count(users_, user, cfg_.user_failures, now);
  count(addresses_, address, cfg_.address_failures, now);
}

void login_throttle::record_success(const std::string& user) {
  std::lock_guard<std::mutex> guard{mtx_};
  // Only reached while unlocked: a locked user is refused before this.
  users_.erase(user);
}

std::string
login_throttle::client_address(const std::string& remote_addr,
                               const std::string& last_forwarded_for,
                               const std::vector<std::string>& trusted) {
  if (last_forwarded_for.empty()
      || std::find(trusted.begin(), trusted.end(), remote_addr)
           == trusted.end())
    return remote_addr;
  auto comma = last_forwarded_for.rfind(',');
  auto last = comma == std::string::npos ? last_forwarded_for
                                         : last_forwarded_for.substr(comma + 1);
  auto b = last.find_first_not_of(' ');
  auto e = last.find_last_not_of(' ');
  if (b == std::string::npos)
    return remote_addr;
  return last.substr(b, e - b + 1);
}

size_t login_throttle::size() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return users_.size() + addresses_.size();
}

void login_throttle::count(table& t, const std::string& key, int limit,
                           clock::time_point now) {
  if (t.count(key) == 0 && t.size() >= cfg_.max_entries)
    make_room(t, now);
  auto& e = t[key];
  if (e.failures == 0 || now - e.first_failure >= cfg_.window) {
    e.failures = 0;
    e.first_failure = now;
  }
  if (++e.failures >= limit) {
    e.locked_until = now + cfg_.lock;
    e.failures = 0;
  }
}

void login_throttle::make_room(table& t, clock::time_point now) {
  for (auto i = t.begin(); i != t.end();) {
    auto stale = i->second.locked_until <= now
                 && now - i->second.first_failure >= cfg_.window;
    i = stale ? t.erase(i) : std::next(i);
  }
  if (t.size() < cfg_.max_entries)
    return;
  auto oldest = t.end();
  for (auto i = t.begin(); i != t.end(); ++i) {
    if (i->second.locked_until > now)
      continue; // a lock outlives the pressure
    if (oldest == t.end()
        || i->second.first_failure < oldest->second.first_failure)
      oldest = i;
  }
  if (oldest == t.end())
    oldest = std::min_element(t.begin(), t.end(), [](auto& a, auto& b) {
      return a.second.locked_until < b.second.locked_until;
    });
  t.erase(oldest);
}

} // namespace mc::http
