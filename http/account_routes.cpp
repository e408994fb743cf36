#include <thread>

#include <pqxx/pqxx>

#include "http/account_registration.hpp"
#include "http/account_request.hpp"
#include "http/password_hash.hpp"
#include "http/route.hpp"
#include "http/shards_guard.hpp"
#include "http/webapp_context.hpp"
#include "runtime/log.hpp"
#include "runtime/store/account_store.hpp"
#include "runtime/store/cluster_config.hpp"
#include "runtime/store/node_registry.hpp"

namespace mc::http {

namespace {

/// How long POST /v1/account/shards waits for the change to complete.
constexpr auto reshard_wait = std::chrono::seconds{15};

} // namespace

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

namespace {

void register_account(webapp_context& ctx, const httplib::Request& req,
                      httplib::Response& res) {
  auto parsed = parsed_or_reply(parse_register_body(req.body), res);
  if (!parsed)
    return;
  auto& a = *parsed;
  auto pin_hash = a.pin ? hash_password(*a.pin) : std::string{};
  // With a method the upstream registers the number, by code when needed
  // (202); without one the cert alone registers it here (201).
  if (a.method) {
    register_with_code(ctx, a, pin_hash, res);
    return;
  }
  complete_registration(ctx, {a.cc, a.phone_number, a.cert, pin_hash, 1},
                        res);
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
  auto age = ctx.db->with(
    [](pqxx::connection& c) { return registered_age_s(c); });
  if (auto err = shards_guard_error(*reg, age, a)) {
    reply_error(res, *err);
    return;
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
