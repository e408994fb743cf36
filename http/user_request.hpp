#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "http/api_error.hpp"

namespace mc::http {

/// The body of POST /v1/users/login.
struct login_request {
  /// Set when the caller changes its password while logging in.
  std::optional<std::string> new_password;
};

/// Parses a login body: empty (or whitespace only) is allowed; otherwise an
/// object with an optional "new_password" string that passes the policy.
std::variant<login_request, api_error> parse_login_body(std::string_view json);

/// {"users":[{"token":"...","expires_after":"YYYY-MM-DD HH:MM:SS+00:00"}],
/// "meta":{...}}.
std::string login_response_json(const std::string& token, int64_t expires_at);

/// The body of POST /v1/users.
struct create_user_request {
  std::string username;
  std::string password;
};

/// Most characters a username may have.
constexpr size_t max_username_chars = 64;

/// Parses {"username":..., "password":...}: username 1 to 64 characters of
/// [A-Za-z0-9_.-], password must pass the policy. Missing fields give 1008,
/// bad values 1009, unknown fields 1010.
std::variant<create_user_request, api_error>
parse_create_user_body(std::string_view json);

} // namespace mc::http
