#include "http/request_auth.hpp"

#include <cctype>
#include <ctime>

#include "http/base64.hpp"
#include "http/webapp_context.hpp"

namespace mc::http {

namespace {

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size())
    return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i]))
        != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

/// The value after "<scheme> " in an Authorization header, or nullopt.
std::optional<std::string_view> credentials(std::string_view header,
                                            std::string_view scheme) {
  header = trim(header);
  if (!iequals_prefix(header, scheme) || header.size() == scheme.size()
      || (header[scheme.size()] != ' ' && header[scheme.size()] != '\t'))
    return std::nullopt;
  return trim(header.substr(scheme.size()));
}

} // namespace

bool parse_basic_auth(std::string_view header_value, std::string& user,
                      std::string& password) {
  auto encoded = credentials(header_value, "Basic");
  if (!encoded)
    return false;
  auto decoded = base64_decode(*encoded);
  if (!decoded)
    return false;
  auto colon = decoded->find(':');
  if (colon == std::string::npos || colon == 0)
    return false;
  user = decoded->substr(0, colon);
  password = decoded->substr(colon + 1);
  return true;
}

std::string_view bearer_token(std::string_view header_value) {
  auto token = credentials(header_value, "Bearer");
  if (!token || token->find_first_of(" \t") != std::string_view::npos)
    return {};
  return *token;
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
  auto claims
    = ctx.keys->verify(token, static_cast<int64_t>(std::time(nullptr)));
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


std::string_view apikey_credentials(std::string_view header_value) {
  auto key = credentials(header_value, "Apikey");
  if (!key || key->find_first_of(" \t") != std::string_view::npos)
    return {};
  return *key;
}

bool authenticate_monitoring(const webapp_context& ctx,
                             const httplib::Request& req,
                             httplib::Response& res) {
  // health, metrics and stats take "Authorization: Apikey <key>" besides
  // a bearer token (https://developers.secure.facebook.com/docs/whatsapp/on-premises/reference/metrics);
  // X-API-Key is this cluster's older spelling of the same key.
  std::string key = req.get_header_value("X-API-Key");
  if (key.empty())
    key = std::string{apikey_credentials(req.get_header_value("Authorization"))};
  if (!key.empty()) {
    if (ctx.keys->api_key_matches(key))
      return true;
    reply_error(res, make_api_error(codes::access_denied, "wrong API key"));
    return false;
  }
  return authenticate(ctx, req, res).has_value();
}

} // namespace mc::http
