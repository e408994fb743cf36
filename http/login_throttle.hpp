#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace mc::http {

/// Failed logins counted per user and per client address, in memory, per
/// webapp: a user with `user_failures` failures (or an address with
/// `address_failures`) within `window` is locked for `lock`, during which
/// every login of it is refused, the right password too (On-Prem error
/// 1031, account locked). A success clears the user's count. Each table
/// holds at most `max_entries` keys: a full table first forgets entries
/// that neither lock nor count any more, then the oldest unlocked one, so
/// a flood of made-up names costs bounded memory and unlocks nobody.
class login_throttle {
public:
  using clock = std::chrono::steady_clock;

  struct config {
    int user_failures = 5;
    int address_failures = 20;
    std::chrono::seconds window{300};
    std::chrono::seconds lock{300};
    size_t max_entries = 10000;
  };

  login_throttle();
  explicit login_throttle(config cfg);

  /// How long `user` from `address` must still wait; zero when it may try.
  std::chrono::seconds locked_for(const std::string& user,
                                  const std::string& address,
                                  clock::time_point now);

  /// Counts a failed login (wrong user or password).
  void record_failure(const std::string& user, const std::string& address,
                      clock::time_point now);

  /// A successful login: the user's failures are forgotten.
  void record_success(const std::string& user);

  /// The client address to count: the last X-Forwarded-For entry when the
  /// connection comes from one of `trusted_proxies` (the front appends the
  /// address it saw; earlier entries are the client's word), else the
  /// connection's own address.
  static std::string client_address(const std::string& remote_addr,
                                    const std::string& last_forwarded_for,
                                    const std::vector<std::string>& trusted);

  /// Keys held, users plus addresses (tests check the bound).
  size_t size() const;

private:
  struct entry {
    int failures = 0;
    clock::time_point first_failure;
    clock::time_point locked_until;
  };
  using table = std::unordered_map<std::string, entry>;

  void count(table& t, const std::string& key, int limit,
             clock::time_point now);
  void make_room(table& t, clock::time_point now);
  static std::chrono::seconds remaining(const table& t, const std::string& key,
                                        clock::time_point now);

  config cfg_;
  mutable std::mutex mtx_;
  table users_;
  table addresses_;
};

} // namespace mc::http
