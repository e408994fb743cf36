#include <ctime>

#include <pqxx/pqxx>

#include "http/webapp_context.hpp"
#include "runtime/log.hpp"

namespace mc::http {

namespace {

/// Tokens last 7 days, as in the On-Prem API.
constexpr int64_t token_lifetime_s = 7 * 24 * 3600;

struct user_row {
  std::string password_hash;
  bool is_admin = false;
  bool must_change = false;
};

std::optional<user_row> find_user(pqxx::connection& c, const std::string& name) {
  pqxx::read_transaction tx{c};
  auto r = tx.exec_params("SELECT password_hash, is_admin, must_change "
                          "FROM users WHERE username = $1",
                          name);
  if (r.empty())
    return std::nullopt;
  return user_row{r[0][0].as<std::string>(), r[0][1].as<bool>(),
                  r[0][2].as<bool>()};
}

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
  auto row = ctx.db->with([&](pqxx::connection& c) { return find_user(c, user); });
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
      pqxx::work tx{c};
      tx.exec_params("UPDATE users SET password_hash = $2, must_change = false "
                     "WHERE username = $1",
                     user, hash);
      tx.commit();
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
    pqxx::work tx{c};
    tx.exec_params("INSERT INTO revoked_tokens (token_id, expires_at) "
                   "VALUES ($1, to_timestamp($2)) ON CONFLICT DO NOTHING",
                   claims->token_id, claims->expires_at);
    tx.commit();
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
    pqxx::work tx{c};
    auto r = tx.exec_params("INSERT INTO users (username, password_hash) "
                            "VALUES ($1, $2) ON CONFLICT DO NOTHING",
                            u.username, hash);
    tx.commit();
    return r.affected_rows() == 1;
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
