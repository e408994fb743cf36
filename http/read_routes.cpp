/// PUT /v1/messages/{id} {"status":"read"}: the business marks an inbound
/// message as read (developers.facebook.com/docs/whatsapp/on-premises/
/// guides/mark-as-read). The webapp finds the message's sender in the
/// database (recorded by the coreapp that received it), routes by the
/// sender's shard as a send routes by its recipient, and the owning shard
/// hands the read receipt to the upstream (actors/protocol/read.hpp).

#include <chrono>
#include <thread>

#include <caf/all.hpp>

#include "actors/protocol/errors.hpp"
#include "actors/protocol/read.hpp"
#include "http/read_request.hpp"
#include "http/route.hpp"
#include "http/webapp_context.hpp"
#include "runtime/shard_hash.hpp"
#include "runtime/store/inbound_store.hpp"

namespace mc::http {

namespace {

/// What one attempt at the shard's owner came to.
enum class read_attempt { done, retry, failed };

struct read_outcome {
  read_attempt result = read_attempt::failed;
  api_error error{};
};

read_outcome try_read(webapp_context& ctx, const shard_route& route,
                      const std::string& id, const std::string& sender,
                      std::chrono::milliseconds timeout) {
  caf::scoped_actor self{*ctx.sys};
  read_outcome out;
  self
    ->request(caf::actor_cast<read_actor>(route.node), timeout,
              mark_read_atom::value, route.shard, route.epoch, id, sender)
    .receive([&](caf::ok_atom) { out.result = read_attempt::done; },
             [&](caf::error& err) {
               auto s = std::to_string(route.shard);
               // Moved, unreachable or its session not (yet) live: the
               // next owner or session takes it.
               bool retry = is(err, mc_errc::not_owner)
                            || is(err, mc_errc::stale_epoch)
                            || is(err, mc_errc::upstream_refused)
                            || is(err, mc_errc::upstream_fenced)
                            || err == caf::sec::request_receiver_down
                            || err == caf::exit_reason::remote_link_unreachable;
               out.result = retry ? read_attempt::retry : read_attempt::failed;
               out.error = make_api_error(
                 err == caf::sec::request_timeout ? codes::not_ready
                                                  : codes::not_owner,
                 "shard " + s + " could not send the read receipt; retry");
               if (err == caf::sec::request_receiver_down
                   || err == caf::exit_reason::remote_link_unreachable)
                 ctx.routes->drop_connection(route.owner);
             });
  return out;
}

void mark_read(webapp_context& ctx, const httplib::Request& req,
               httplib::Response& res) {
  if (!parsed_or_reply(parse_read_request(req.body), res))
    return;
  std::string id = req.matches[1];
  auto sender = ctx.db->with(
    [&](pqxx::connection& c) { return inbound_sender(c, id); });
  if (!sender) {
    reply_error(res, make_api_error(codes::not_found,
                                    "no incoming message with id " + clip(id)
                                      + " in the last 7 days"));
    return;
  }
  auto deadline = std::chrono::steady_clock::now() + timeouts::webapp_read;
  api_error error = make_api_error(codes::not_ready, "no attempt made");
  // Bounded by the deadline; the count only guards against a busy loop.
  for (int attempt = 0; attempt < 200; ++attempt) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline)
      break;
    auto shard = shard_of(*sender, ctx.routes->shards());
    auto route = ctx.routes->route(shard);
    if (!route) {
      error = make_api_error(codes::not_owner,
                             "shard " + std::to_string(shard)
                               + " has no active coreapp right now; retry");
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
      ctx.routes->refresh_if_older(std::chrono::milliseconds{20});
      continue;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - now);
    auto out = try_read(ctx, *route, id, *sender, left);
    if (out.result == read_attempt::done) {
      // The reference answers 200 with no data ("null # or {}"); this
      // cluster's empty answers carry the meta block.
      reply_json(res, 200, ok_json());
      return;
    }
    error = std::move(out.error);
    if (out.result == read_attempt::failed)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
    ctx.routes->refresh_if_older(std::chrono::milliseconds{20});
  }
  reply_error(res, error);
}

} // namespace

void add_read_routes(httplib::Server& srv, webapp_context& ctx) {
  add_route(srv, ctx, route_method::put, R"(/v1/messages/([^/]+))",
            route_access::user, mark_read);
}

} // namespace mc::http
