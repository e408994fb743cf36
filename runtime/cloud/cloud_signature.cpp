#include "runtime/cloud/cloud_signature.hpp"

#include <array>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace mc {

namespace {

constexpr std::string_view prefix = "sha256=";

using digest = std::array<unsigned char, 32>;

digest hmac_sha256(std::string_view key, std::string_view data) {
  digest out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       out.data(), &len);
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

} // namespace

cloud_signature::cloud_signature(std::string app_secret)
  : secret_(std::move(app_secret)) {
  // nop
}

bool cloud_signature::verify(std::string_view raw_body,
                             std::string_view header) const {
  if (header.substr(0, prefix.size()) != prefix)
    return false;
  auto hex = header.substr(prefix.size());
  digest given{};
  if (hex.size() != given.size() * 2)
    return false;
  for (size_t i = 0; i < given.size(); ++i) {
    int hi = hex_value(hex[2 * i]);
    int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return false;
    given[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  auto expected = hmac_sha256(secret_, raw_body);
  return CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

std::string cloud_signature::sign(std::string_view raw_body) const {
  static constexpr char digits[] = "0123456789abcdef";
  auto d = hmac_sha256(secret_, raw_body);
  std::string out{prefix};
  for (auto b : d) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0xf]);
  }
  return out;
}

} // namespace mc
