#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <pqxx/pqxx>

#include "runtime/store/cluster_config.hpp"

namespace mc {

// The account's two-step PIN and registration time (columns of the
// `cluster` row that only the account routes use) and the `profile` row
// (schema/006_account.sql). The account itself is stored by
// cluster_config's store_account, which also records registered_at.

/// Sets the two-step verification PIN hash; "" turns two-step off.
void store_pin_hash(pqxx::connection& conn, const std::string& pin_hash);

/// Seconds since the account was registered; nullopt before it is.
std::optional<int64_t> registered_age_s(pqxx::connection& conn);

/// Records a registration that waits for its code (`account_pending`),
/// replacing any earlier one.
void store_pending_registration(pqxx::connection& conn,
                                const registered_account& account);

/// The registration waiting for its code, nullopt when none is.
std::optional<registered_account>
load_pending_registration(pqxx::connection& conn);

/// Forgets the registration waiting for its code.
void clear_pending_registration(pqxx::connection& conn);

/// The profile "about" text ("" when never set).
std::string load_about(pqxx::connection& conn);

/// Replaces the profile "about" text.
void store_about(pqxx::connection& conn, const std::string& text);

/// The profile photo: bytes and MIME type.
struct profile_photo {
  std::string bytes;
  std::string type;
};

/// The profile photo, nullopt when there is none.
std::optional<profile_photo> load_photo(pqxx::connection& conn);

/// Replaces the profile photo.
void store_photo(pqxx::connection& conn, const profile_photo& photo);

/// Removes the profile photo; false when there was none.
bool delete_photo(pqxx::connection& conn);

/// The business profile as stored JSON ("{}" when never set).
std::string load_business_profile(pqxx::connection& conn);

/// Replaces the business profile (a JSON object).
void store_business_profile(pqxx::connection& conn, const std::string& json);

} // namespace mc
