#include <ctime>

#include <pqxx/pqxx>

#include "http/password_hash.hpp"
#include "http/route.hpp"
#include "http/user_request.hpp"
#include "http/webapp_context.hpp"
#include "runtime/log.hpp"
#include "runtime/store/user_store.hpp"

namespace mc::http {

namespace {

/// Tokens last 7 days, as in the On-Prem API.
constexpr int64_t token_lifetime_s = 7 * 24 * 3600;

void login(webapp_context& ctx, const httplib::Request& req,
           httplib::Response& res) {
  std::string user, password;
  if (!parse_basic_auth(req.get_header_value("Authorization"), user, password)) {
    reply_error(res, make_api_error(codes::access_denied,
                                    "log in with HTTP Basic authentication"));
    return;
  }
  auto login_req = parsed_or_reply(parse_login_body(req.body), res);
  if (!login_req)
    return;
  // Throttled per user and per client address before the password is even
  // checked, so a locked account refuses the right password too. On-Prem
  // answers 1031 for a locked account
  // (https://developers.facebook.com/docs/whatsapp/on-premises/errors).
  auto now = login_throttle::clock::now();
  auto forwarded = req.get_header_value_count("X-Forwarded-For");
  auto client = login_throttle::client_address(
    req.remote_addr,
    forwarded == 0 ? std::string{}
                   : req.get_header_value("X-Forwarded-For", forwarded - 1),
    ctx.trusted_proxies);
  if (auto wait = ctx.logins->locked_for(user, client, now);
      wait.count() > 0) {
    res.set_header("Retry-After", std::to_string(wait.count()));
    reply_error(res, make_api_error(codes::account_locked,
                                    "too many failed logins; try again in "
                                      + std::to_string(wait.count()) + " s"));
    return;
  }
  auto row = ctx.db->with(
    [&](pqxx::connection& c) { return find_user(c, user); });
  if (!row || !verify_password(password, row->password_hash)) {
    ctx.logins->record_failure(user, client, now);
    reply_error(res, make_api_error(codes::access_denied,
                                    "wrong username or password"));
    return;
  }
  ctx.logins->record_success(user);
  if (row->must_change && !login_req->new_password) {
    reply_error(res, make_api_error(codes::access_denied,
                                    "first login: the default password must be "
                                    "changed; send {\"new_password\": \"...\"} "
                                    "(8-64 characters with upper and lower "
                                    "case, a digit and a special character)"));
    return;
  }
  if (login_req->new_password) {
    auto hash = hash_password(*login_req->new_password);
    ctx.db->with([&](pqxx::connection& c) {
      set_password(c, user, hash);
      return 0;
    });
  }
  token_claims claims;
  claims.token_id = new_token_id();
  claims.username = user;
  claims.is_admin = row->is_admin;
  claims.expires_at = static_cast<int64_t>(std::time(nullptr)) + token_lifetime_s;
  reply_json(res, 200,
             login_response_json(ctx.keys->sign(claims),
                                 claims.expires_at));
}

void logout(webapp_context& ctx, const httplib::Request&,
            httplib::Response& res, const token_claims& caller) {
  ctx.db->with([&](pqxx::connection& c) {
    revoke_token(c, caller.token_id, caller.expires_at);
    return 0;
  });
  {
    std::lock_guard<std::mutex> guard{ctx.revoked_mtx};
    ctx.revoked.insert(caller.token_id);
  }
  reply_json(res, 200, ok_json());
}

void create_user(webapp_context& ctx, const httplib::Request& req,
                 httplib::Response& res) {
  auto parsed = parsed_or_reply(parse_create_user_body(req.body), res);
  if (!parsed)
    return;
  auto& u = *parsed;
  auto hash = hash_password(u.password);
  auto inserted = ctx.db->with([&](pqxx::connection& c) {
    return mc::create_user(c, u.username, hash);
  });
  if (!inserted) {
    reply_error(res, make_api_error(codes::already_exists,
                                    "user '" + u.username + "' exists"));
    return;
  }
  reply_json(res, 201,
             "{\"users\":[{\"username\":\"" + u.username + "\"}],"
               + meta_json_fields() + "}");
}

} // namespace

void add_user_routes(httplib::Server& srv, webapp_context& ctx) {
  using m = route_method;
  add_route(srv, ctx, m::post, "/v1/users/login", route_access::open, login);
  add_route(srv, ctx, m::post, "/v1/users/logout", route_access::user, logout);
  add_route(srv, ctx, m::post, "/v1/users", route_access::admin, create_user);
}

} // namespace mc::http
