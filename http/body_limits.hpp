#pragma once

/// Request body limits per route. cpp-httplib 0.11 has one payload limit
/// per server, which the request guard (request_guard.hpp) enforces before
/// the body is read; the webapp sets it to the largest media (100 MB,
/// runtime/media_kind.hpp), and this step, which also runs before the body
/// is read, keeps every route but POST /v1/media at the small limit.

#include <cstddef>

#include <httplib.h>

namespace mc::http {

/// Largest body of every route but POST /v1/media (JSON requests).
constexpr size_t max_json_body_bytes = 64 * 1024;

/// The body limit of `req`'s route (its path normalised already).
size_t body_limit_of(const httplib::Request& req);

/// Whether `req`'s Content-Length is over its route's limit. A missing or
/// malformed length is the request guard's to judge.
bool body_too_large(const httplib::Request& req);

/// The pre-routing step: answers 413 (1009, connection closed) when
/// `body_too_large`, else leaves the request to its route.
httplib::Server::HandlerResponse route_body_limit(const httplib::Request& req,
                                                  httplib::Response& res);

} // namespace mc::http
