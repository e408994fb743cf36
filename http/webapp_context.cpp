#include "http/webapp_context.hpp"

#include <ctime>

namespace mc::http {

void reply_error(httplib::Response& res, const api_error& e) {
  res.status = e.http_status;
  res.set_content(to_json(e), "application/json");
}

void reply_json(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json");
}

std::optional<token_claims> authenticate(const webapp_context& ctx,
                                         const httplib::Request& req,
                                         httplib::Response& res) {
  auto header = req.get_header_value("Authorization");
  auto token = bearer_token(header);
  if (token.empty()) {
    reply_error(res, make_api_error(codes::access_denied,
                                    "missing 'Authorization: Bearer <token>' "
                                    "header; log in at /v1/users/login"));
    return std::nullopt;
  }
  auto claims = verify_token(token, ctx.token_secret,
                             static_cast<int64_t>(std::time(nullptr)));
  if (!claims) {
    reply_error(res, make_api_error(codes::access_denied,
                                    "invalid or expired token"));
    return std::nullopt;
  }
  if (ctx.is_revoked(claims->token_id)) {
    reply_error(res, make_api_error(codes::access_denied,
                                    "token was revoked by logout"));
    return std::nullopt;
  }
  return claims;
}

std::optional<token_claims> authenticate_admin(const webapp_context& ctx,
                                               const httplib::Request& req,
                                               httplib::Response& res) {
  auto claims = authenticate(ctx, req, res);
  if (claims && !claims->is_admin) {
    reply_error(res, make_api_error(codes::access_denied,
                                    "this route needs an admin user", 403));
    return std::nullopt;
  }
  return claims;
}

} // namespace mc::http

namespace mc::http {

bool authenticate_monitoring(const webapp_context& ctx,
                             const httplib::Request& req,
                             httplib::Response& res) {
  auto key = req.get_header_value("X-API-Key");
  if (!key.empty()) {
    if (!ctx.api_key.empty() && key == ctx.api_key)
      return true;
    reply_error(res, make_api_error(codes::access_denied, "wrong API key"));
    return false;
  }
  return authenticate(ctx, req, res).has_value();
}

} // namespace mc::http
