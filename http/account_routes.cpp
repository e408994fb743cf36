#include <thread>

#include <pqxx/pqxx>

#include "http/account_request.hpp"
#include "http/password_hash.hpp"
#include "http/route.hpp"
#include "http/webapp_context.hpp"
#include "runtime/log.hpp"
#include "runtime/store/cluster_config.hpp"
#include "runtime/store/node_registry.hpp"

namespace mc::http {

namespace {

/// How long POST /v1/account/shards waits for the change to complete.
constexpr auto reshard_wait = std::chrono::seconds{15};

/// Waits until the cluster runs `shards` shards, each owned; bounded.
bool wait_for_shards(webapp_context& ctx, int32_t shards) {
  auto deadline = std::chrono::steady_clock::now() + reshard_wait;
  while (std::chrono::steady_clock::now() < deadline) {
    auto done = ctx.db->with(
      [&](pqxx::connection& c) { return reshard_done(c, shards); });
    if (done)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  return false;
}

void register_account(webapp_context& ctx, const httplib::Request& req,
                      httplib::Response& res) {
  auto parsed = parsed_or_reply(parse_register_body(req.body), res);
  if (!parsed)
    return;
  auto& a = *parsed;
  auto pin_hash = a.pin ? hash_password(*a.pin) : std::string{};
  auto shards = ctx.db->with([&](pqxx::connection& c) {
    return store_account(c, a.cc, a.phone_number, a.cert, pin_hash);
  });
  // Sessions log in with the account: restart them under the new one.
  ctx.db->with([&](pqxx::connection& c) {
    request_reshard(c, shards);
    return 0;
  });
  log_info(ctx.node_id, "account +", a.cc, " ", a.phone_number,
           " registered");
  if (!wait_for_shards(ctx, shards)) {
    reply_error(res, make_api_error(codes::not_ready,
                                    "the account is stored; its sessions are "
                                    "still restarting"));
    return;
  }
  reply_json(res, 201, ok_json());
}

void get_shards(webapp_context& ctx, const httplib::Request&,
                httplib::Response& res) {
  auto shards = ctx.db->with(
    [](pqxx::connection& c) { return load_shard_count(c); });
  reply_json(res, 200,
             "{\"account\":{\"shards\":" + std::to_string(shards) + "},"
               + meta_json_fields() + "}");
}

void set_shards(webapp_context& ctx, const httplib::Request& req,
                httplib::Response& res) {
  auto parsed = parsed_or_reply(parse_shards_body(req.body), res);
  if (!parsed)
    return;
  auto& a = *parsed;
  auto reg = ctx.db->with(
    [](pqxx::connection& c) { return load_registered_account(c); });
  if (!reg) {
    reply_error(res, make_api_error(codes::invalid_parameter,
                                    "no account is registered; register it "
                                    "with POST /v1/account first"));
    return;
  }
  if (reg->cc != a.cc || reg->phone_number != a.phone_number) {
    reply_error(res, make_api_error(codes::invalid_parameter,
                                    "cc and phone_number do not match the "
                                    "registered account"));
    return;
  }
  if (reg->cert != a.cert) {
    reply_error(res, make_api_error(codes::invalid_parameter,
                                    "cert is not the account's certificate"));
    return;
  }
  if (!reg->pin_hash.empty()) {
    if (!a.pin) {
      reply_error(res, make_api_error(codes::missing_parameter,
                                      "pin is required: two-step "
                                      "verification is on"));
      return;
    }
    if (!verify_password(*a.pin, reg->pin_hash)) {
      reply_error(res, make_api_error(codes::access_denied,
                                      "pin is wrong", 403));
      return;
    }
  }
  auto unhealthy = std::chrono::milliseconds{static_cast<int64_t>(
    ctx.settings->get().unhealthy_interval * 1000)};
  auto live = ctx.db->with([&](pqxx::connection& c) {
    return count_live_nodes(c, role::coreapp, unhealthy);
  });
  if (a.shards > live) {
    reply_error(res, make_api_error(codes::invalid_parameter,
                                    std::to_string(a.shards)
                                      + " shards need as many live coreapps; "
                                      + std::to_string(live) + " are live"));
    return;
  }
  auto started = std::chrono::steady_clock::now();
  ctx.db->with([&](pqxx::connection& c) {
    request_reshard(c, a.shards);
    return 0;
  });
  if (!wait_for_shards(ctx, a.shards)) {
    reply_error(res, make_api_error(codes::not_ready,
                                    "the shard count change is still in "
                                    "progress; GET /v1/account/shards tells "
                                    "when it is done"));
    return;
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
              std::chrono::steady_clock::now() - started).count();
  log_info(ctx.node_id, "shard count changed to ", a.shards, " in ", ms, " ms");
  reply_json(res, 201, ok_json());
}

} // namespace

void add_account_routes(httplib::Server& srv, webapp_context& ctx) {
  using m = route_method;
  add_route(srv, ctx, m::post, "/v1/account", route_access::admin,
            register_account);
  add_route(srv, ctx, m::get, "/v1/account/shards", route_access::admin,
            get_shards);
  add_route(srv, ctx, m::post, "/v1/account/shards", route_access::admin,
            set_shards);
}

} // namespace mc::http
