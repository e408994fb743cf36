#include "http/token.hpp"

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "http/auth_util.hpp"
#include "http/base64.hpp"

namespace mc::http {

namespace {

using detail::bytes_view;
using detail::parse_decimal;
using detail::random_bytes;

/// Length of an HMAC-SHA256 tag.
constexpr size_t key_bytes = 32;
/// Tokens longer than this are refused before any work.
constexpr size_t max_token_size = 4096;

/// SHA-256 fetched once: implicit fetching on every digest is what makes
/// OpenSSL 3's one-shot HMAC() slow.
const EVP_MD* sha256() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

struct md_ctx_deleter {
  void operator()(EVP_MD_CTX* p) const {
    EVP_MD_CTX_free(p);
  }
};
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, md_ctx_deleter>;

/// HMAC-SHA256 (RFC 2104) with the keyed inner and outer states cached per
/// thread for the last secret: every request verifies with the same one.
class hmac_sha256 {
public:
  bool compute(const std::string& secret, std::string_view msg,
               unsigned char* out) {
    if (!work_ && !init_contexts())
      return false;
    if (!keyed_ || secret != secret_) {
      if (!set_key(secret))
        return false;
    }
    unsigned char inner_hash[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    return EVP_MD_CTX_copy_ex(work_.get(), inner_.get()) == 1
           && EVP_DigestUpdate(work_.get(), msg.data(), msg.size()) == 1
           && EVP_DigestFinal_ex(work_.get(), inner_hash, &len) == 1
           && EVP_MD_CTX_copy_ex(work_.get(), outer_.get()) == 1
           && EVP_DigestUpdate(work_.get(), inner_hash, len) == 1
           && EVP_DigestFinal_ex(work_.get(), out, &len) == 1
           && len == key_bytes;
  }

private:
  bool init_contexts() {
    inner_.reset(EVP_MD_CTX_new());
    outer_.reset(EVP_MD_CTX_new());
    work_.reset(EVP_MD_CTX_new());
    return inner_ && outer_ && work_ && sha256() != nullptr;
  }

  bool set_key(const std::string& secret) {
    keyed_ = false;
    constexpr size_t block = 64;
    unsigned char key[block] = {};
    if (secret.size() > block) {
      unsigned int len = 0;
      if (EVP_Digest(secret.data(), secret.size(), key, &len, sha256(),
                     nullptr)
          != 1)
        return false;
    } else {
      std::memcpy(key, secret.data(), secret.size());
    }
    unsigned char ipad[block];
    unsigned char opad[block];
    for (size_t i = 0; i < block; ++i) {
      ipad[i] = key[i] ^ 0x36;
      opad[i] = key[i] ^ 0x5c;
    }
    OPENSSL_cleanse(key, sizeof(key));
    bool ok = EVP_DigestInit_ex(inner_.get(), sha256(), nullptr) == 1
              && EVP_DigestUpdate(inner_.get(), ipad, block) == 1
              && EVP_DigestInit_ex(outer_.get(), sha256(), nullptr) == 1
              && EVP_DigestUpdate(outer_.get(), opad, block) == 1;
    OPENSSL_cleanse(ipad, sizeof(ipad));
    OPENSSL_cleanse(opad, sizeof(opad));
    if (ok) {
      secret_ = secret;
      keyed_ = true;
    }
    return ok;
  }

  std::string secret_;
  bool keyed_ = false;
  md_ctx_ptr inner_;
  md_ctx_ptr outer_;
  md_ctx_ptr work_;
};

bool hmac(const std::string& secret, std::string_view msg,
          unsigned char* out) {
  thread_local hmac_sha256 instance;
  return instance.compute(secret, msg, out);
}

/// Splits off the text before the next ':' of `rest`.
bool next_field(std::string_view& rest, std::string_view& field) {
  auto colon = rest.find(':');
  if (colon == std::string_view::npos)
    return false;
  field = rest.substr(0, colon);
  rest.remove_prefix(colon + 1);
  return true;
}

} // namespace

std::string sign_token(const token_claims& c, const std::string& secret) {
  std::string payload = "1:";
  payload += std::to_string(c.expires_at);
  payload += c.is_admin ? ":1:" : ":0:";
  payload += std::to_string(c.token_id.size());
  payload += ':';
  payload += c.token_id;
  payload += ':';
  payload += c.username;
  unsigned char mac[key_bytes];
  if (!hmac(secret, payload, mac))
    std::abort(); // only on allocation failure inside OpenSSL
  auto out = base64url_encode(payload);
  out += '.';
  out += base64url_encode(bytes_view(mac, sizeof(mac)));
  return out;
}

std::optional<token_claims>
verify_token(std::string_view token, const std::string& secret, int64_t now) {
  if (secret.empty() || token.size() > max_token_size)
    return std::nullopt;
  auto dot = token.find('.');
  if (dot == std::string_view::npos)
    return std::nullopt;
  auto payload = base64url_decode(token.substr(0, dot));
  auto mac = base64url_decode(token.substr(dot + 1));
  if (!payload || !mac || mac->size() != key_bytes)
    return std::nullopt;
  unsigned char expected[key_bytes];
  if (!hmac(secret, *payload, expected)
      || CRYPTO_memcmp(expected, mac->data(), key_bytes) != 0)
    return std::nullopt;
  // Signed by us, so well-formed unless the format changed: parse anyway.
  std::string_view rest = *payload;
  std::string_view version, expiry, admin, id_len_text;
  token_claims c;
  size_t id_len = 0;
  if (!next_field(rest, version) || version != "1"
      || !next_field(rest, expiry) || !parse_decimal(expiry, c.expires_at)
      || !next_field(rest, admin) || (admin != "0" && admin != "1")
      || !next_field(rest, id_len_text) || !parse_decimal(id_len_text, id_len)
      || rest.size() < id_len + 1 || rest[id_len] != ':')
    return std::nullopt;
  if (now >= c.expires_at)
    return std::nullopt;
  c.is_admin = admin == "1";
  c.token_id.assign(rest.data(), id_len);
  rest.remove_prefix(id_len + 1);
  c.username.assign(rest.data(), rest.size());
  return c;
}

std::string new_token_id() {
  unsigned char bytes[16];
  random_bytes(bytes, sizeof(bytes));
  return base64url_encode(bytes_view(bytes, sizeof(bytes)));
}

std::string format_expiry(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr)
    return "1970-01-01 00:00:00+00:00";
  char buf[64];
  auto n = std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S+00:00", &tm);
  return std::string(buf, n);
}

} // namespace mc::http
