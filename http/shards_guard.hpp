#pragma once

#include <cstdint>
#include <optional>

#include "http/account_request.hpp"
#include "http/api_error.hpp"
#include "runtime/store/cluster_config.hpp"

namespace mc::http {

/// How long after registration POST /v1/account/shards accepts a call
/// without cert: the reference adds cert in v2.39.1, requires it from
/// v2.45, and accepts the call without it within 7 days of registration
/// (developers.facebook.com/docs/whatsapp/multiconnect_mc, "set shards";
/// developers.qodex.ai/.../set-shards).
constexpr int64_t cert_grace_s = 7 * 24 * 3600;

/// Whether `req` may change the shard count of the account `reg`,
/// registered `age_s` seconds ago (nullopt: unknown, counted as past the
/// grace period). nullopt when it may; else the error to answer:
///  - cc/phone_number of another account: 1009;
///  - cert absent past the grace period: 1008; a cert that is not the
///    account's: 1009;
///  - two-step on and no pin: 1008; a wrong pin: 1005 (403).
/// The pin is checked against its stored hash (http/password_hash).
std::optional<api_error> shards_guard_error(const registered_account& reg,
                                            std::optional<int64_t> age_s,
                                            const account_request& req);

} // namespace mc::http
