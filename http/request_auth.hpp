#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <httplib.h>

#include "http/token.hpp"

namespace mc::http {

struct webapp_context;

/// Decodes an "Authorization: Basic ..." header value into user and
/// password (split at the first ':'); false when malformed or the user is
/// empty.
bool parse_basic_auth(std::string_view header_value, std::string& user,
                      std::string& password);

/// Extracts the token from "Bearer <token>"; empty when not a bearer header.
std::string_view bearer_token(std::string_view header_value);

/// Extracts the key from "Apikey <key>"; empty when not an Apikey header.
std::string_view apikey_credentials(std::string_view header_value);

/// Checks the bearer token; on failure writes the error and returns nullopt.
std::optional<token_claims> authenticate(const webapp_context& ctx,
                                         const httplib::Request& req,
                                         httplib::Response& res);

/// Like `authenticate`, and refuses non-admins with 403.
std::optional<token_claims> authenticate_admin(const webapp_context& ctx,
                                               const httplib::Request& req,
                                               httplib::Response& res);

/// Accepts a bearer token or the cluster's API key ("Authorization: Apikey
/// <key>" or the X-API-Key header), for
/// monitoring routes; on failure writes the error and returns false.
bool authenticate_monitoring(const webapp_context& ctx,
                             const httplib::Request& req,
                             httplib::Response& res);

} // namespace mc::http
