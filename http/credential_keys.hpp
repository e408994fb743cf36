#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "http/token.hpp"
#include "runtime/store/cluster_config.hpp"

namespace mc::http {

/// The secrets a webapp checks credentials with: the token secret that
/// signs and verifies, the previous one that only verifies until its
/// overlap ends, and the API key of the monitoring routes.
///
/// Loaded from the `cluster` row at start and again by the webapp's reload
/// loop, so a rotation (deploy/rotate-secrets) is in force without a
/// restart. HTTP threads read it concurrently: a reload swaps one
/// immutable snapshot, a request copies the pointer and nothing else.
class credential_keys {
public:
  using clock = std::chrono::steady_clock;

  /// Takes the secrets read at `now`: the previous token secret verifies
  /// until `now + s.previous_valid_ms`, measured by this clock so that a
  /// webapp that misses a reload still ends the overlap on time. Returns
  /// true when the token secret or the API key changed.
  bool set(const cluster_secrets& s, clock::time_point now = clock::now());

  /// Signs `c` with the current token secret.
  std::string sign(const token_claims& c) const;

  /// The claims of `token` if the current secret signed it, or the
  /// previous one before the end of its overlap (see verify_token for the
  /// rest: malformed, expired at `unix_now`).
  std::optional<token_claims>
  verify(std::string_view token, int64_t unix_now,
         clock::time_point now = clock::now()) const;

  /// Whether `key` is the API key (false while none is set). The key has
  /// no overlap: the one before a rotation is refused at the next reload.
  bool api_key_matches(std::string_view key) const;

private:
  struct snapshot {
    std::string token_secret;
    std::string previous_token_secret;
    clock::time_point previous_until;
    std::string api_key;
  };

  std::shared_ptr<const snapshot> current() const;

  mutable std::mutex mtx_;
  std::shared_ptr<const snapshot> keys_ = std::make_shared<const snapshot>();
};

} // namespace mc::http
