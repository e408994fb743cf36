#pragma once

#include <optional>
#include <string>

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

} // namespace mc::http
