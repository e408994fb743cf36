#pragma once

// Internals shared by http/password_hash.cpp and http/token.cpp (not an
// interface of its own): random bytes, byte views, strict decimals.

#include <charconv>
#include <cstdlib>
#include <string_view>
#include <system_error>

#include <openssl/rand.h>

namespace mc::http::detail {

/// Fills `out` with CSPRNG bytes; aborts when OpenSSL cannot: issuing a
/// predictable salt or token id would be worse than stopping.
inline void random_bytes(unsigned char* out, size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1)
    std::abort();
}

inline std::string_view bytes_view(const unsigned char* p, size_t n) {
  return {reinterpret_cast<const char*>(p), n};
}

/// Parses a non-negative decimal without sign or leading junk.
template <class T>
bool parse_decimal(std::string_view s, T& out) {
  if (s.empty() || s.size() > 19)
    return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size() && s[0] != '-';
}

} // namespace mc::http::detail
