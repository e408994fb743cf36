#pragma once

#include <optional>
#include <utility>
#include <variant>

#include <httplib.h>

#include "http/api_error.hpp"
#include "http/token.hpp"

namespace mc::http {

struct webapp_context;

/// Who may call a route. The check runs before the handler, and a refusal
/// is answered in the On-Prem error shape (see request_auth).
enum class route_access {
  /// No check here: the handler checks what it needs itself (login reads
  /// Basic credentials; the send route authenticates inside its body).
  open,
  user,       ///< any valid, unrevoked bearer token
  admin,      ///< an admin's bearer token (403 for other users)
  monitoring, ///< a bearer token or the cluster's API key
};

/// The HTTP methods the API uses.
enum class route_method { get, post, patch, put, del };

/// A route's work once the caller is admitted.
using route_handler = void (*)(webapp_context& ctx, const httplib::Request& req,
                               httplib::Response& res);

/// A route's work that needs to know who calls (user and admin routes).
using caller_route_handler = void (*)(webapp_context& ctx,
                                      const httplib::Request& req,
                                      httplib::Response& res,
                                      const token_claims& caller);

/// Registers `handler` for `method` `path`: checks `access`, then runs it.
void add_route(httplib::Server& srv, webapp_context& ctx, route_method method,
               const char* path, route_access access, route_handler handler);

/// Registers a handler that gets the caller's claims; `access` must be
/// `user` or `admin`.
void add_route(httplib::Server& srv, webapp_context& ctx, route_method method,
               const char* path, route_access access,
               caller_route_handler handler);

/// The value of a parser's result, or nullopt after writing its error as
/// the response: the "parse, else answer the error" step of every route.
template <class T>
std::optional<T> parsed_or_reply(std::variant<T, api_error> parsed,
                                 httplib::Response& res);

} // namespace mc::http

namespace mc::http {

void reply_error(httplib::Response& res, const api_error& e);

template <class T>
std::optional<T> parsed_or_reply(std::variant<T, api_error> parsed,
                                 httplib::Response& res) {
  if (auto err = std::get_if<api_error>(&parsed)) {
    reply_error(res, *err);
    return std::nullopt;
  }
  return std::move(std::get<T>(parsed));
}

} // namespace mc::http
