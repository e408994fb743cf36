#pragma once

/// Request body limits per route. cpp-httplib 0.11 has one payload limit
/// per server, checked against Content-Length before the body is read; the
/// webapp sets it to the largest media (100 MB, runtime/media_kind.hpp) and
/// this pre-routing check, which also runs before the body is read, keeps
/// every other route at its small limit.

#include <cstddef>

#include <httplib.h>

namespace mc::http {

/// Largest body of every route but POST /v1/media (JSON requests).
constexpr size_t max_json_body_bytes = 64 * 1024;

/// What the pre-routing check decides for one request.
enum class body_verdict {
  accept,
  /// Content-Length over the route's limit: 413 before reading it.
  too_large,
  /// A chunked body on a route with the small limit: its size cannot be
  /// checked before it is read, so it is refused (411).
  length_required,
};

/// The verdict for `req` (headers and path are parsed, the body is not).
body_verdict check_body_limit(const httplib::Request& req);

/// Installs `check_body_limit` as `srv`'s pre-routing handler, answering a
/// refusal in the On-Prem error shape.
void install_body_limits(httplib::Server& srv);

} // namespace mc::http
