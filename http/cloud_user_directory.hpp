#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/db_pool.hpp"

namespace mc::http {

/// The webapp's view of the phone numbers behind business-scoped user ids
/// (schema/014, written by the coreapps as the Cloud API names both): a
/// user addressed or heard of by the BSUID alone is routed by its number
/// once that is known, so it keeps its shard and its messages their
/// order. Bounded cache in front of the database; thread-safe.
class cloud_user_directory {
public:
  /// How many users are remembered.
  static constexpr size_t capacity = 100000;

  /// How long "no number known" is believed before the database is asked
  /// again.
  static constexpr auto unknown_ttl = std::chrono::seconds{5};

  explicit cloud_user_directory(std::shared_ptr<db_pool> db);

  /// The phone digits known for each of `user_ids` (those without one are
  /// absent). One query for those not in the cache; when the database
  /// fails, what the cache holds.
  std::map<std::string, std::string>
  phones_of(const std::vector<std::string>& user_ids);

  /// The key `phone_or_empty`/`bsuid` is routed by: the phone when given,
  /// else the phone known for the BSUID, else the BSUID.
  std::string routing_key_of(const std::string& phone_or_empty,
                             const std::string& bsuid);

private:
  struct entry {
    std::string phone; ///< empty: none known
    std::chrono::steady_clock::time_point checked;
  };

  void remember(const std::string& user, std::string phone,
                std::chrono::steady_clock::time_point now);

  std::shared_ptr<db_pool> db_;
  std::mutex mtx_;
  std::map<std::string, entry> cache_;
  std::deque<std::string> order_;
};

} // namespace mc::http
