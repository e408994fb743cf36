#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include <pqxx/pqxx>

namespace mc {

// The `users` and `revoked_tokens` tables. Hashes are made by the caller
// (http/password_hash); this store only keeps them.

/// A user as the login route needs it.
struct user_row {
  std::string password_hash;
  bool is_admin = false;
  bool must_change = false;
};

/// The user `name`, nullopt if there is none.
std::optional<user_row> find_user(pqxx::connection& conn, const std::string& name);

/// Replaces the password of `name` and clears its must-change flag.
void set_password(pqxx::connection& conn, const std::string& name,
                  const std::string& password_hash);

/// Creates a (non-admin) user; false when the name exists.
bool create_user(pqxx::connection& conn, const std::string& name,
                 const std::string& password_hash);

/// Deletes the (non-admin) user `name`; false when there is no such
/// non-admin user.
bool delete_user(pqxx::connection& conn, const std::string& name);

/// Creates the admin `name` that must change its password at first login,
/// when the cluster has no user at all. True when it was created.
bool ensure_first_admin(pqxx::connection& conn, const std::string& name,
                        const std::string& password_hash);

/// Records a revoked token until it expires (`expires_at`: Unix seconds).
void revoke_token(pqxx::connection& conn, const std::string& token_id,
                  int64_t expires_at);

/// The ids of the revoked tokens that have not expired yet.
std::set<std::string> load_revoked_tokens(pqxx::connection& conn);

} // namespace mc
