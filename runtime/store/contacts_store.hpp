#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace mc {

// The `contacts` table (schema/007_contacts.sql): the cache of the
// upstream's answers to contact checks.

/// One cached answer: status "valid" (wa_id set) or "invalid".
struct contact_row {
  std::string number; ///< digits
  std::string status;
  std::string wa_id;
};

/// How many numbers the cache holds, by answer (db_contacts of
/// GET /v1/stats/db).
struct contact_counts {
  int64_t users = 0;     ///< valid
  int64_t non_users = 0; ///< invalid
};

/// The cached answers for `numbers` checked less than `max_age` ago, by
/// number; numbers not cached or older are absent.
std::map<std::string, contact_row>
load_fresh_contacts(pqxx::connection& conn,
                    const std::vector<std::string>& numbers,
                    std::chrono::seconds max_age);

/// Stores `rows` as checked now (replacing older answers), in one
/// transaction.
void save_contacts(pqxx::connection& conn, const std::vector<contact_row>& rows);

/// Counts the cached answers younger than `max_age`.
contact_counts count_contacts(pqxx::connection& conn,
                              std::chrono::seconds max_age);

/// Deletes answers older than `max_age`; returns how many.
int64_t prune_contacts(pqxx::connection& conn, std::chrono::seconds max_age);

} // namespace mc
