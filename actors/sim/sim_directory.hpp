#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "actors/protocol/upstream_contacts.hpp"

namespace mc {

/// The simulator's phone book: which numbers are WhatsApp users. Every
/// number is a user unless the query API declared it is not
/// (POST /contacts/non_users adds, POST /rules {"non_users"} replaces).
/// The one source of that answer: contact checks answer "invalid" for a
/// non-user and sim_rules fails sends to one with 1013. Counts the numbers it was asked about, so
/// tests see whether a contact check reached the upstream or was answered
/// from a cache. Thread-safe: the simulator actor and the query server's
/// threads share it.
class sim_directory {
public:
  /// Declares `numbers` (digits) not to be users.
  void add_non_users(const std::vector<std::string>& numbers);

  /// Declares exactly `numbers` (digits) not to be users.
  void set_non_users(const std::vector<std::string>& numbers);

  /// True when `number` (digits) was declared not to be a user; not
  /// counted as a check (sends ask this, not the contacts route).
  bool is_non_user(const std::string& number) const;

  /// Answers for `numbers`, in order: "valid" with wa_id = the digits, or
  /// "invalid" for a declared non-user. Counts each number asked about.
  contact_checks check(const std::vector<std::string>& numbers);

  /// Numbers asked about since start.
  uint64_t checks() const {
    return checks_.load(std::memory_order_relaxed);
  }

  /// The declared non-users, sorted.
  std::vector<std::string> non_users() const;

private:
  mutable std::mutex mtx_;
  std::set<std::string> non_users_;
  std::atomic<uint64_t> checks_{0};
};

} // namespace mc
