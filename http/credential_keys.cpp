#include "http/credential_keys.hpp"

#include <openssl/crypto.h>

namespace mc::http {

bool credential_keys::set(const cluster_secrets& s, clock::time_point now) {
  auto next = std::make_shared<snapshot>();
  next->token_secret = s.token_secret;
  next->api_key = s.api_key;
  if (!s.previous_token_secret.empty() && s.previous_valid_ms > 0) {
    next->previous_token_secret = s.previous_token_secret;
    next->previous_until = now + std::chrono::milliseconds{s.previous_valid_ms};
  }
  std::lock_guard<std::mutex> guard{mtx_};
  bool changed = keys_->token_secret != next->token_secret
                 || keys_->api_key != next->api_key;
  keys_ = std::move(next);
  return changed;
}

std::string credential_keys::sign(const token_claims& c) const {
  return sign_token(c, current()->token_secret);
}

std::optional<token_claims>
credential_keys::verify(std::string_view token, int64_t unix_now,
                        clock::time_point now) const {
  auto keys = current();
  auto claims = verify_token(token, keys->token_secret, unix_now);
  if (!claims && !keys->previous_token_secret.empty()
      && now < keys->previous_until)
    claims = verify_token(token, keys->previous_token_secret, unix_now);
  return claims;
}

bool credential_keys::api_key_matches(std::string_view key) const {
  auto keys = current();
  return !keys->api_key.empty() && key.size() == keys->api_key.size()
         && CRYPTO_memcmp(key.data(), keys->api_key.data(), key.size()) == 0;
}

std::shared_ptr<const credential_keys::snapshot>
credential_keys::current() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return keys_;
}

} // namespace mc::http
