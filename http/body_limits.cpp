#include "http/body_limits.hpp"

#include <cstdlib>

#include "http/webapp_context.hpp"
#include "runtime/media_kind.hpp"

namespace mc::http {

size_t body_limit_of(const httplib::Request& req) {
  return req.method == "POST" && req.path == "/v1/media" ? max_media_bytes
                                                         : max_json_body_bytes;
}

bool body_too_large(const httplib::Request& req) {
  if (!req.has_header("Content-Length"))
    return false;
  auto text = req.get_header_value("Content-Length");
  char* end = nullptr;
  auto n = std::strtoull(text.c_str(), &end, 10);
  return end != text.c_str() && *end == '\0' && n > body_limit_of(req);
}

httplib::Server::HandlerResponse route_body_limit(const httplib::Request& req,
                                                  httplib::Response& res) {
  if (!body_too_large(req))
    return httplib::Server::HandlerResponse::Unhandled;
  reply_error(res, make_api_error(codes::invalid_parameter,
                                  "request body is larger than "
                                    + std::to_string(body_limit_of(req))
                                    + " bytes",
                                  413));
  // The unread body must not be parsed as the next request.
  res.set_header("Connection", "close");
  return httplib::Server::HandlerResponse::Handled;
}

} // namespace mc::http
