#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "runtime/cloud/cloud_signature.hpp"

namespace mc::http {

/// What a webapp needs to take Meta's webhooks (--upstream cloud): the app
/// secret's signature check, the verification token, and counts for
/// /metrics.
struct cloud_webhook_intake {
  cloud_webhook_intake(std::string app_secret, std::string verify_token)
    : signature(std::move(app_secret)), verify_token(std::move(verify_token)) {
    // nop
  }

  cloud_signature signature;
  std::string verify_token;
  /// Posts refused for a missing or wrong X-Hub-Signature-256.
  std::atomic<uint64_t> bad_signatures{0};
  /// Posts answered 503 so that Meta posts them again.
  std::atomic<uint64_t> deferred{0};
  std::atomic<uint64_t> statuses{0};
  std::atomic<uint64_t> messages{0};
};

} // namespace mc::http
