#pragma once

#include <cstdint>

#include <httplib.h>

#include "http/account_request.hpp"
#include "http/webapp_context.hpp"
#include "runtime/store/cluster_config.hpp"

namespace mc::http {

/// Waits until the cluster runs `shards` shards, each owned; bounded
/// (defined with the account routes).
bool wait_for_shards(webapp_context& ctx, int32_t shards);

/// Stores `account` as the registered one, restarts the sessions under it
/// (they log in with the account) and answers 201, or 1011 when the
/// sessions are still restarting.
void complete_registration(webapp_context& ctx,
                           const registered_account& account,
                           httplib::Response& res);

/// POST /v1/account with a method: asks the upstream (through the owner of
/// shard 0) to register the number. No code needed (registered already
/// with that cert): complete_registration, 201. A code sent: the
/// registration waits in the database for POST /v1/account/verify and the
/// answer is 202 {"account":[{"vname":"..."}]}
/// (developers.facebook.com/docs/whatsapp/api/account).
void register_with_code(webapp_context& ctx, const account_request& req,
                        const std::string& pin_hash, httplib::Response& res);

} // namespace mc::http
