#include <future>
#include <thread>

#include <caf/all.hpp>

#include "actors/webapp/send_gateway.hpp"

#include "actors/protocol/errors.hpp"
#include "actors/protocol/timeouts.hpp"
#include "http/cloud_webhook_intake.hpp"
#include "http/media_reference.hpp"
#include "http/idempotency_key.hpp"
#include "http/route.hpp"
#include "http/send_request.hpp"
#include "http/webapp_context.hpp"
#include "runtime/cloud/cloud_user_id.hpp"
#include "runtime/log.hpp"
#include "runtime/shard_hash.hpp"

namespace mc::http {

namespace {

/// Outcome of one attempt to hand a message to its shard.
enum class attempt_result {
  accepted,
  retry_elsewhere,
  owner_unreachable,
  /// The commit's outcome is unknown: the same owner is asked again with
  /// the same id (idempotent), behind the commit still in flight.
  retry_same,
  failed
};

/// One attempt's outcome and, unless accepted, what the client is told if
/// it is the last one.
struct attempt {
  attempt_result result = attempt_result::failed;
  api_error error{};
};

/// Maps a shard's error to the On-Prem error the client sees.
api_error to_api_error(const caf::error& err, int32_t shard) {
  auto s = std::to_string(shard);
  if (is(err, mc_errc::overloaded))
    return make_api_error(codes::overloaded,
                          "shard " + s + " is at capacity; retry shortly");
  if (is(err, mc_errc::not_owner) || is(err, mc_errc::stale_epoch))
    return make_api_error(codes::not_owner,
                          "shard " + s + " is moving to another coreapp; "
                          "retry shortly");
  if (is(err, mc_errc::resharding))
    return make_api_error(codes::not_ready,
                          "the shard count is changing; retry shortly");
  // Error codes: developers.facebook.com/docs/whatsapp/api/errors (1014
  // "Internal error", 500): distinct from 1011's "not accepted, retry".
  if (is(err, mc_errc::commit_unknown))
    return make_api_error(codes::internal,
                          "the outcome of the commit is unknown: the message "
                          "may have been accepted. Retrying the same request "
                          "with the same X-Idempotency-Key header is safe: "
                          "it answers with the same id and sends nothing "
                          "twice");
  if (is(err, mc_errc::database))
    return make_api_error(codes::not_ready,
                          "the database did not commit the message; it was "
                          "not accepted, retry");
  if (err == caf::sec::request_timeout)
    return make_api_error(codes::not_ready,
                          "shard " + s + " did not answer in time");
  return make_api_error(codes::not_ready, "shard " + s + " is unreachable");
}

attempt try_send(webapp_context& ctx, const shard_route& route,
                 const std::string& id, const send_request& msg,
                 std::chrono::milliseconds timeout) {
  auto done = std::make_shared<std::promise<send_outcome>>();
  auto outcome = done->get_future();
  send_job job{send_item{route.shard, route.epoch, id, msg.to, msg.payload,
                         msg.type},
               route.node, timeout, done};
  auto n = ctx.next_gateway.fetch_add(1, std::memory_order_relaxed);
  caf::anon_send(ctx.gateways[n % ctx.gateways.size()], std::move(job));
  // The gateway always answers (reply, error, node down or its timeout);
  // the extra second only guards against a stopped actor system.
  if (outcome.wait_for(timeout + std::chrono::seconds{1})
      != std::future_status::ready)
    return {attempt_result::failed,
            make_api_error(codes::not_ready, "shard did not answer in time")};
  auto r = outcome.get();
  if (r.accepted)
    return {attempt_result::accepted, {}};
  auto& err = r.error;
  auto error = to_api_error(err, route.shard);
  // Ownership moved or the owner died: retry on the new owner with the
  // same id (the insert is idempotent on it).
  if (err == caf::sec::request_receiver_down
      || err == caf::exit_reason::remote_link_unreachable)
    return {attempt_result::owner_unreachable, std::move(error)};
  if (is(err, mc_errc::commit_unknown))
    return {attempt_result::retry_same, std::move(error)};
  bool moved = is(err, mc_errc::not_owner) || is(err, mc_errc::stale_epoch)
               || is(err, mc_errc::resharding);
  return {moved ? attempt_result::retry_elsewhere : attempt_result::failed,
          std::move(error)};
}

void send_message(webapp_context& ctx, const httplib::Request& req,
                  httplib::Response& res) {
  if (!authenticate(ctx, req, res))
    return;
  auto parsed = parse_send_request(req.body);
  if (auto err = std::get_if<api_error>(&parsed)) {
    reply_error(res, *err);
    return;
  }
  // msg.to is digits already (parse_send_request): routing and the
  // per-recipient order see that one form.
  auto& msg = std::get<send_request>(parsed);
  if (auto err = check_media_reference(ctx, msg)) {
    reply_error(res, *err);
    return;
  }
  auto keyed = message_id_for_key(req.get_header_value(idempotency_header));
  if (auto err = std::get_if<api_error>(&keyed)) {
    reply_error(res, *err);
    return;
  }
  auto id = std::get<std::string>(keyed);
  api_error error = make_api_error(codes::not_ready, "no attempt made");
  // A request whose shard is moving waits for the new owner, up to the
  // send budget, instead of failing at once: a failover takes well under
  // a second. The budget outlasts the coreapp's own wait for the commit
  // (actors/protocol/timeouts.hpp), so a message is never reported as not
  // accepted while its commit may still succeed.
  auto deadline = std::chrono::steady_clock::now() + timeouts::webapp_send;
  int64_t failed_epoch = -1;
  bool unknown = false;
  // A BSUID whose number is known is routed by the number: the user keeps
  // the shard of its earlier messages.
  auto key = ctx.cloud && is_bsuid(msg.to)
               ? ctx.cloud->users.routing_key_of({}, msg.to)
               : msg.to;
  // Bounded by the deadline; the count only guards against a busy loop.
  for (int attempt = 0; attempt < 400; ++attempt) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline)
      break;
    auto shard = shard_of(key, ctx.routes->shards());
    auto route = ctx.routes->route(shard);
    if (!route || route->epoch == failed_epoch) {
      // Wait for the supervisor to move the shard; poll the map.
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
      ctx.routes->refresh_if_older(std::chrono::milliseconds{20});
      if (!route)
        error = make_api_error(codes::not_owner,
                               "shard " + std::to_string(shard)
                                 + " has no active coreapp right now; retry "
                                   "shortly");
      continue;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - now);
    auto [r, last_error] = try_send(ctx, *route, id, msg, left);
    if (r == attempt_result::accepted) {
      reply_json(res, 201, send_response_json(id));
      return;
    }
    error = std::move(last_error);
    if (r == attempt_result::failed)
      break;
    if (r == attempt_result::retry_same) {
      // Once unknown, an unknown is what the client hears if the budget
      // ends: never "not accepted" for a message that may be stored.
      unknown = true;
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
      continue;
    }
    if (r == attempt_result::owner_unreachable) {
      // The connection is gone; the owner may be dead (the map will move
      // on) or back after a freeze (a new connection reaches it).
      ctx.routes->drop_connection(route->owner);
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
      ctx.routes->refresh();
      continue;
    }
    failed_epoch = route->epoch;
    ctx.routes->refresh_if_older(std::chrono::milliseconds{10});
  }
  if (unknown)
    error = to_api_error(make_error(mc_errc::commit_unknown), 0);
  reply_error(res, error);
}

} // namespace

void add_message_routes(httplib::Server& srv, webapp_context& ctx) {
  // The send route authenticates inside its body (send_message).
  add_route(srv, ctx, route_method::post, "/v1/messages", route_access::open,
            send_message);
}

} // namespace mc::http
