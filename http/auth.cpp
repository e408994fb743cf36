#include "http/auth.hpp"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "http/base64.hpp"

namespace mc::http {

namespace {

constexpr std::string_view hash_scheme = "pbkdf2-sha256";
constexpr size_t salt_bytes = 16;
constexpr size_t key_bytes = 32;
/// Upper bound on the rounds a stored hash may ask for, so a corrupted or
/// planted row cannot make one login burn minutes of CPU.
constexpr long max_iterations = 10'000'000;
/// Tokens longer than this are refused before any work.
constexpr size_t max_token_size = 4096;

/// Fills `out` with CSPRNG bytes; aborts when OpenSSL cannot: issuing a
/// predictable salt or token id would be worse than stopping.
void random_bytes(unsigned char* out, size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1)
    std::abort();
}

std::string_view bytes_view(const unsigned char* p, size_t n) {
  return {reinterpret_cast<const char*>(p), n};
}

bool pbkdf2(const std::string& password, std::string_view salt,
            long iterations, unsigned char* out) {
  return PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                           reinterpret_cast<const unsigned char*>(salt.data()),
                           static_cast<int>(salt.size()),
                           static_cast<int>(iterations), EVP_sha256(),
                           static_cast<int>(key_bytes), out)
         == 1;
}

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

/// Parses a non-negative decimal without sign or leading junk.
template <class T>
bool parse_decimal(std::string_view s, T& out) {
  if (s.empty() || s.size() > 19)
    return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size() && s[0] != '-';
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

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size())
    return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i]))
        != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

/// The value after "<scheme> " in an Authorization header, or nullopt.
std::optional<std::string_view> credentials(std::string_view header,
                                            std::string_view scheme) {
  header = trim(header);
  if (!iequals_prefix(header, scheme) || header.size() == scheme.size()
      || (header[scheme.size()] != ' ' && header[scheme.size()] != '\t'))
    return std::nullopt;
  return trim(header.substr(scheme.size()));
}

api_error invalid(std::string details) {
  return make_api_error(codes::invalid_parameter, std::move(details));
}

bool blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
      return false;
  return true;
}

bool valid_username(std::string_view name) {
  if (name.empty() || name.size() > max_username_chars)
    return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.'
        && c != '-')
      return false;
  return true;
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

bool parse_basic_auth(std::string_view header_value, std::string& user,
                      std::string& password) {
  auto encoded = credentials(header_value, "Basic");
  if (!encoded)
    return false;
  auto decoded = base64_decode(*encoded);
  if (!decoded)
    return false;
  auto colon = decoded->find(':');
  if (colon == std::string::npos || colon == 0)
    return false;
  user = decoded->substr(0, colon);
  password = decoded->substr(colon + 1);
  return true;
}

std::string_view bearer_token(std::string_view header_value) {
  auto token = credentials(header_value, "Bearer");
  if (!token || token->find_first_of(" \t") != std::string_view::npos)
    return {};
  return *token;
}

std::variant<login_request, api_error> parse_login_body(std::string_view json) {
  login_request result;
  if (blank(json))
    return result;
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_object(json, doc, error))
    return invalid(std::move(error));
  for (auto& m : doc.GetObject()) {
    auto name = as_view(m.name);
    if (name != "new_password")
      return make_api_error(codes::parameter_not_required,
                            "unknown field '" + clip(name) + "'");
    if (result.new_password)
      return invalid("duplicate field 'new_password'");
    if (!m.value.IsString())
      return invalid(std::string{"new_password must be a string, got "}
                     + json_kind(m.value));
    std::string pw{as_view(m.value)};
    if (auto reason = password_policy_error(pw))
      return invalid("new_password: " + *reason);
    result.new_password = std::move(pw);
  }
  return result;
}

std::string login_response_json(const std::string& token, int64_t expires_at) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  w.Key("users");
  w.StartArray();
  w.StartObject();
  write_member(w, "token", token);
  write_member(w, "expires_after", format_expiry(expires_at));
  w.EndObject();
  w.EndArray();
  write_meta(w);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::variant<create_user_request, api_error>
parse_create_user_body(std::string_view json) {
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_object(json, doc, error))
    return invalid(std::move(error));
  const rapidjson::Value* username = nullptr;
  const rapidjson::Value* password = nullptr;
  for (auto& m : doc.GetObject()) {
    auto name = as_view(m.name);
    const rapidjson::Value** slot = name == "username"   ? &username
                                    : name == "password" ? &password
                                                         : nullptr;
    if (slot == nullptr)
      return make_api_error(codes::parameter_not_required,
                            "unknown field '" + clip(name) + "'");
    if (*slot != nullptr)
      return invalid("duplicate field '" + std::string{name} + "'");
    *slot = &m.value;
  }
  if (username == nullptr)
    return make_api_error(codes::missing_parameter, "username is missing");
  if (password == nullptr)
    return make_api_error(codes::missing_parameter, "password is missing");
  if (!username->IsString())
    return invalid(std::string{"username must be a string, got "}
                   + json_kind(*username));
  if (!valid_username(as_view(*username)))
    return invalid("username must be 1 to 64 characters of A-Z, a-z, 0-9, "
                   "'_', '.' and '-'");
  if (!password->IsString())
    return invalid(std::string{"password must be a string, got "}
                   + json_kind(*password));
  create_user_request result{std::string{as_view(*username)},
                             std::string{as_view(*password)}};
  if (auto reason = password_policy_error(result.password))
    return invalid(*reason);
  return result;
}

} // namespace mc::http
