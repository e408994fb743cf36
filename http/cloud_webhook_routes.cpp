/// GET and POST /v1/cloud/webhook: the route Meta's webhooks call when the
/// cluster relays to the Cloud API (README, "Relay to the Cloud API").
/// GET answers the verification challenge. POST checks the body's
/// X-Hub-Signature-256, hands each shard's statuses and messages to the
/// coreapp that owns the shard (actors/protocol/cloud_intake.hpp) and
/// answers 200 only once every one of them persisted its part; otherwise
/// 503, and Meta posts the whole body again (the callbacks are deduplicated
/// by id and status).

#include <chrono>
#include <map>
#include <thread>

#include <caf/all.hpp>

#include "actors/protocol/cloud_intake.hpp"
#include "actors/protocol/errors.hpp"
#include "http/cloud_webhook_intake.hpp"
#include "http/route.hpp"
#include "http/webapp_context.hpp"
#include "runtime/cloud/cloud_user_id.hpp"
#include "runtime/cloud/cloud_verification.hpp"
#include "runtime/cloud/cloud_webhook.hpp"
#include "runtime/log.hpp"
#include "runtime/shard_hash.hpp"

namespace mc::http {

namespace {

/// How long a post may wait for its shards' owners.
constexpr auto intake_deadline = std::chrono::seconds{5};

/// What one shard gets from one post.
struct shard_part {
  std::vector<upstream_receipt> receipts;
  std::vector<inbound_message> messages;
};

upstream_receipt receipt_of(cloud_status& s) {
  upstream_receipt r;
  r.id = std::move(s.wamid);
  r.recipient = std::move(s.recipient);
  r.status = std::move(s.status);
  r.timestamp = s.timestamp;
  r.error_code = s.error_code;
  r.error_title = std::move(s.error_title);
  r.user_id = std::move(s.recipient_user_id);
  return r;
}

/// Splits a post by the shard of each user: by the phone number when the
/// post or an earlier one named it (cloud_user_directory), else by the
/// BSUID.
std::map<int32_t, shard_part> split_by_shard(cloud_webhook_batch& batch,
                                             cloud_user_directory& users,
                                             int32_t shards) {
  std::vector<std::string> hidden;
  for (auto& s : batch.statuses)
    if (s.recipient.empty() && !s.recipient_user_id.empty())
      hidden.push_back(s.recipient_user_id);
  for (auto& m : batch.messages)
    if (is_bsuid(m.message.from) && !m.from_user_id.empty())
      hidden.push_back(m.from_user_id);
  auto phones = users.phones_of(hidden);
  auto key_of = [&](const std::string& phone, const std::string& user) {
    auto i = phone.empty() ? phones.find(user) : phones.end();
    return routing_key(i != phones.end() ? i->second : phone, user);
  };
  std::map<int32_t, shard_part> out;
  for (auto& s : batch.statuses) {
    auto key = key_of(s.recipient, s.recipient_user_id);
    out[shard_of(key, shards)].receipts.push_back(receipt_of(s));
  }
  for (auto& m : batch.messages) {
    auto& from = m.message.from;
    auto key = key_of(is_bsuid(from) ? std::string{} : from, m.from_user_id);
    m.message.user_id = m.from_user_id;
    out[shard_of(key, shards)].messages.push_back(std::move(m.message));
  }
  return out;
}

/// Hands one shard's part to its owner, retrying a moved or absent owner
/// until `deadline`; true once it persisted.
bool hand_over(webapp_context& ctx, int32_t shard, const shard_part& part,
               std::chrono::steady_clock::time_point deadline) {
  caf::scoped_actor self{*ctx.sys};
  // Bounded by the deadline; the count only guards against a busy loop.
  for (int attempt = 0; attempt < 200; ++attempt) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline)
      return false;
    auto route = ctx.routes->route(shard);
    if (!route) {
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
      ctx.routes->refresh_if_older(std::chrono::milliseconds{20});
      continue;
    }
    bool done = false;
    bool retry = false;
    self
      ->request(caf::actor_cast<cloud_intake_actor>(route->node),
                std::chrono::duration_cast<std::chrono::milliseconds>(
                  deadline - now),
                cloud_push_atom::value, shard, part.receipts, part.messages)
      .receive([&](caf::ok_atom) { done = true; },
               [&](caf::error& err) {
                 // Moved or unreachable: the next owner takes it. Busy
                 // writing earlier pushes: soon. Anything else (the
                 // database away) waits for Meta's retry.
                 retry = is(err, mc_errc::not_owner)
                         || is(err, mc_errc::overloaded)
                         || err == caf::sec::request_receiver_down
                         || err == caf::exit_reason::remote_link_unreachable;
                 if (err == caf::sec::request_receiver_down
                     || err == caf::exit_reason::remote_link_unreachable)
                   ctx.routes->drop_connection(route->owner);
               });
    if (done)
      return true;
    if (!retry)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
    ctx.routes->refresh_if_older(std::chrono::milliseconds{20});
  }
  return false;
}

void verify(webapp_context& ctx, const httplib::Request& req,
            httplib::Response& res) {
  auto answer = answer_challenge(req.get_param_value("hub.mode"),
                                 req.get_param_value("hub.verify_token"),
                                 req.get_param_value("hub.challenge"),
                                 ctx.cloud->verify_token);
  if (!answer) {
    reply_error(res, make_api_error(codes::access_denied,
                                    "verification token mismatch", 403));
    return;
  }
  res.status = 200;
  res.set_content(*answer, "text/plain");
}

void take(webapp_context& ctx, const httplib::Request& req,
          httplib::Response& res) {
  auto& intake = *ctx.cloud;
  if (!intake.signature.verify(req.body,
                               req.get_header_value("X-Hub-Signature-256"))) {
    ++intake.bad_signatures;
    reply_error(res, make_api_error(codes::access_denied,
                                    "missing or wrong X-Hub-Signature-256",
                                    401));
    return;
  }
  auto batch = parse_cloud_webhook(req.body);
  if (!batch) {
    reply_error(res, make_api_error(codes::invalid_parameter,
                                    "not a WhatsApp Business Account "
                                    "webhook: "
                                      + ctx.sys->render(batch.error())));
    return;
  }
  intake.statuses += batch->statuses.size();
  intake.messages += batch->messages.size();
  auto deadline = std::chrono::steady_clock::now() + intake_deadline;
  for (auto& [shard, part] : split_by_shard(*batch, intake.users, ctx.routes->shards())) {
    if (!hand_over(ctx, shard, part, deadline)) {
      ++intake.deferred;
      reply_error(res, make_api_error(codes::not_ready,
                                      "shard " + std::to_string(shard)
                                        + " could not persist the webhook "
                                          "yet; post it again",
                                      503));
      return;
    }
  }
  reply_json(res, 200, ok_json());
}

} // namespace

void add_cloud_webhook_routes(httplib::Server& srv, webapp_context& ctx) {
  if (!ctx.cloud)
    return;
  add_route(srv, ctx, route_method::get, "/v1/cloud/webhook",
            route_access::open, verify);
  add_route(srv, ctx, route_method::post, "/v1/cloud/webhook",
            route_access::open, take);
}

} // namespace mc::http
