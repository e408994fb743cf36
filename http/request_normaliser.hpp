#pragma once

#include <httplib.h>

namespace mc::http {

/// Evens out two ways clients write a request before any route sees it:
/// - a path with a trailing slash ("/v1/messages/") is the route without it;
/// - a POST, PUT or PATCH with neither Content-Length nor chunked encoding
///   (what `curl -X POST URL` sends) has an empty body. cpp-httplib 0.11
///   would otherwise read such a body until the connection closes and
///   answer 400 after its read timeout.
class request_normaliser {
public:
  /// The pre-routing step: normalises `req` in place (httplib hands the
  /// pre-routing handler its own request object) and never handles it.
  static httplib::Server::HandlerResponse apply(const httplib::Request& req,
                                                httplib::Response& res);

  /// `path` without its trailing slashes ("/" stays "/").
  static std::string route_path(const std::string& path);
};

} // namespace mc::http
