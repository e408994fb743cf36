#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "http/cloud_user_directory.hpp"
#include "runtime/cloud/cloud_signature.hpp"

namespace mc::http {

/// What a webapp needs to take Meta's webhooks (--upstream cloud): the app
/// secret's signature check, the verification token, the phone numbers
/// behind user ids, and counts for /metrics.
struct cloud_webhook_intake {
  cloud_webhook_intake(std::string app_secret, std::string verify_token,
                       std::shared_ptr<db_pool> db)
    : signature(std::move(app_secret)),
      verify_token(std::move(verify_token)),
      users(std::move(db)) {
    // nop
  }

  cloud_signature signature;
  std::string verify_token;
  cloud_user_directory users;
  /// Posts refused for a missing or wrong X-Hub-Signature-256.
  std::atomic<uint64_t> bad_signatures{0};
  /// Posts answered 503 so that Meta posts them again.
  std::atomic<uint64_t> deferred{0};
  std::atomic<uint64_t> statuses{0};
  std::atomic<uint64_t> messages{0};
};

} // namespace mc::http
