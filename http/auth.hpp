#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "http/api_error.hpp"

namespace mc::http {

/// PBKDF2-HMAC-SHA256 rounds for new password hashes. 60,000 cost ~90 ms
/// on one core of the 2-core build box: cheap for a login (which hands out
/// a token, so it runs once per session), expensive for offline guessing.
/// Stored hashes carry their own count, so raising it later keeps old
/// hashes valid.
constexpr int password_hash_iterations = 60000;

/// "pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>" with a 16-byte random
/// salt and a 32-byte derived key.
std::string hash_password(const std::string& password);

/// Whether `password` matches `stored` (as made by hash_password). Compares
/// in constant time; false for any malformed `stored`.
bool verify_password(const std::string& password, const std::string& stored);

/// nullopt when acceptable; otherwise the reason. A password has 8 to 64
/// characters (code points) of valid UTF-8 without control characters, and
/// at least one upper-case letter, one lower-case letter, one digit and one
/// special character (anything that is not an ASCII letter or digit).
std::optional<std::string> password_policy_error(const std::string& password);

/// What a bearer token asserts.
struct token_claims {
  std::string token_id;
  std::string username;
  bool is_admin = false;
  int64_t expires_at = 0; ///< Unix seconds.
};

/// Signed bearer token: base64url(payload) "." base64url(HMAC-SHA256(secret,
/// payload)), where payload is "1:<expires_at>:<0|1>:<len(token_id)>:
/// <token_id>:<username>" (length-prefixed so any bytes round-trip).
std::string sign_token(const token_claims& c, const std::string& secret);

/// The claims of `token`, or nullopt if it is malformed, its signature does
/// not match `secret`, `secret` is empty, or it has expired at `now` (unix
/// seconds; expired means now >= expires_at). Runs on every request: a few
/// microseconds, one HMAC and no allocation beyond the claims.
std::optional<token_claims>
verify_token(std::string_view token, const std::string& secret, int64_t now);

/// A new random token id (22 URL-safe characters, 128 bits), used to revoke
/// single tokens.
std::string new_token_id();

/// "YYYY-MM-DD HH:MM:SS+00:00" in UTC, as the On-Prem login response has it.
std::string format_expiry(int64_t unix_seconds);

/// Decodes an "Authorization: Basic ..." header value into user and
/// password (split at the first ':'); false when malformed or the user is
/// empty.
bool parse_basic_auth(std::string_view header_value, std::string& user,
                      std::string& password);

/// Extracts the token from "Bearer <token>"; empty when not a bearer header.
std::string_view bearer_token(std::string_view header_value);

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
