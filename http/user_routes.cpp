#include <ctime>

#include <pqxx/pqxx>

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
  auto body = parse_login_body(req.body);
  if (auto err = std::get_if<api_error>(&body)) {
    reply_error(res, *err);
    return;
  }
  auto& login_req = std::get<login_request>(body);
  auto row = ctx.db->with(
    [&](pqxx::connection& c) { return find_user(c, user); });
  if (!row || !verify_password(password, row->password_hash)) {
    reply_error(res, make_api_error(codes::access_denied,
                                    "wrong username or password"));
    return;
  }
  if (row->must_change && !login_req.new_password) {
    reply_error(res, make_api_error(codes::access_denied,
                                    "first login: the default password must be "
                                    "changed; send {\"new_password\": \"...\"} "
                                    "(8-64 characters with upper and lower "
                                    "case, a digit and a special character)"));
    return;
  }
  if (login_req.new_password) {
    auto hash = hash_password(*login_req.new_password);
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
             login_response_json(sign_token(claims, ctx.token_secret),
                                 claims.expires_at));
}

void logout(webapp_context& ctx, const httplib::Request& req,
            httplib::Response& res) {
  auto claims = authenticate(ctx, req, res);
  if (!claims)
    return;
  ctx.db->with([&](pqxx::connection& c) {
    revoke_token(c, claims->token_id, claims->expires_at);
    return 0;
  });
  {
    std::lock_guard<std::mutex> guard{ctx.revoked_mtx};
    ctx.revoked.insert(claims->token_id);
  }
  reply_json(res, 200, ok_json());
}

void create_user(webapp_context& ctx, const httplib::Request& req,
                 httplib::Response& res) {
  if (!authenticate_admin(ctx, req, res))
    return;
  auto body = parse_create_user_body(req.body);
  if (auto err = std::get_if<api_error>(&body)) {
    reply_error(res, *err);
    return;
  }
  auto& u = std::get<create_user_request>(body);
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
  srv.Post("/v1/users/login", [&ctx](const httplib::Request& req,
                                     httplib::Response& res) {
    login(ctx, req, res);
  });
  srv.Post("/v1/users/logout", [&ctx](const httplib::Request& req,
                                      httplib::Response& res) {
    logout(ctx, req, res);
  });
  srv.Post("/v1/users", [&ctx](const httplib::Request& req,
                               httplib::Response& res) {
    create_user(ctx, req, res);
  });
}

} // namespace mc::http
