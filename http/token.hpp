#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mc::http {

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

} // namespace mc::http
