#include "http/password_hash.hpp"

#include <cstdlib>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "http/auth_util.hpp"
#include "http/base64.hpp"
#include "runtime/json_util.hpp"

namespace mc::http {

namespace {

using detail::bytes_view;
using detail::parse_decimal;
using detail::random_bytes;

constexpr std::string_view hash_scheme = "pbkdf2-sha256";
constexpr size_t salt_bytes = 16;
constexpr size_t key_bytes = 32;
/// Upper bound on the rounds a stored hash may ask for, so a corrupted or
/// planted row cannot make one login burn minutes of CPU.
constexpr long max_iterations = 10'000'000;

bool pbkdf2(const std::string& password, std::string_view salt,
            long iterations, unsigned char* out) {
  return PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                           reinterpret_cast<const unsigned char*>(salt.data()),
                           static_cast<int>(salt.size()),
                           static_cast<int>(iterations), EVP_sha256(),
                           static_cast<int>(key_bytes), out)
         == 1;
}

} // namespace

std::string hash_password(const std::string& password) {
  unsigned char salt[salt_bytes];
  random_bytes(salt, sizeof(salt));
  unsigned char key[key_bytes];
  if (!pbkdf2(password, bytes_view(salt, sizeof(salt)),
              password_hash_iterations, key))
    std::abort(); // only on allocation failure inside OpenSSL
  std::string out{hash_scheme};
  out += '$';
  out += std::to_string(password_hash_iterations);
  out += '$';
  out += base64_encode(bytes_view(salt, sizeof(salt)));
  out += '$';
  out += base64_encode(bytes_view(key, sizeof(key)));
  return out;
}

bool verify_password(const std::string& password, const std::string& stored) {
  std::string_view rest = stored;
  std::string_view scheme, iter_text, salt_text;
  auto split = [](std::string_view& r, std::string_view& f) {
    auto pos = r.find('$');
    if (pos == std::string_view::npos)
      return false;
    f = r.substr(0, pos);
    r.remove_prefix(pos + 1);
    return true;
  };
  long iterations = 0;
  if (!split(rest, scheme) || scheme != hash_scheme
      || !split(rest, iter_text) || !parse_decimal(iter_text, iterations)
      || iterations < 1 || iterations > max_iterations
      || !split(rest, salt_text))
    return false;
  auto salt = base64_decode(salt_text);
  auto expected = base64_decode(rest);
  if (!salt || salt->empty() || !expected || expected->size() != key_bytes)
    return false;
  unsigned char key[key_bytes];
  if (!pbkdf2(password, *salt, iterations, key))
    return false;
  return CRYPTO_memcmp(key, expected->data(), key_bytes) == 0;
}

std::optional<std::string> password_policy_error(const std::string& password) {
  if (!valid_utf8(password))
    return "password must be valid UTF-8";
  auto len = utf8_length(password);
  if (len < 8 || len > 64)
    return "password must be 8 to 64 characters long";
  bool upper = false, lower = false, digit = false, special = false;
  for (char ch : password) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f)
      return "password must not contain control characters";
    if (c >= 'A' && c <= 'Z')
      upper = true;
    else if (c >= 'a' && c <= 'z')
      lower = true;
    else if (c >= '0' && c <= '9')
      digit = true;
    else
      special = true;
  }
  if (!upper)
    return "password must contain an upper-case letter";
  if (!lower)
    return "password must contain a lower-case letter";
  if (!digit)
    return "password must contain a digit";
  if (!special)
    return "password must contain a special character";
  return std::nullopt;
}

} // namespace mc::http
