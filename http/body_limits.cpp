#include "http/body_limits.hpp"

#include <cstdlib>

#include "http/webapp_context.hpp"
#include "runtime/media_kind.hpp"

namespace mc::http {

namespace {

bool is_media_upload(const httplib::Request& req) {
  return req.method == "POST" && req.path == "/v1/media";
}

} // namespace

body_verdict check_body_limit(const httplib::Request& req) {
  auto limit = is_media_upload(req) ? max_media_bytes : max_json_body_bytes;
  if (req.has_header("Content-Length")) {
    auto text = req.get_header_value("Content-Length");
    char* end = nullptr;
    auto n = std::strtoull(text.c_str(), &end, 10);
    // A malformed length is httplib's to refuse (400).
    if (end != text.c_str() && *end == '\0' && n > limit)
      return body_verdict::too_large;
    return body_verdict::accept;
  }
  if (!is_media_upload(req)
      && req.get_header_value("Transfer-Encoding").find("chunked")
           != std::string::npos)
    return body_verdict::length_required;
  return body_verdict::accept;
}

void install_body_limits(httplib::Server& srv) {
  srv.set_pre_routing_handler([](const httplib::Request& req,
                                 httplib::Response& res) {
    switch (check_body_limit(req)) {
      case body_verdict::accept:
        return httplib::Server::HandlerResponse::Unhandled;
      case body_verdict::too_large:
        reply_error(res, make_api_error(codes::invalid_parameter,
                                        is_media_upload(req)
                                          ? "media may have at most 100 MB"
                                          : "request body is too large",
                                        413));
        break;
      case body_verdict::length_required:
        reply_error(res, make_api_error(codes::invalid_parameter,
                                        "send the body with a "
                                        "Content-Length",
                                        411));
        break;
    }
    // The unread body must not be taken for the next request.
    res.set_header("Connection", "close");
    return httplib::Server::HandlerResponse::Handled;
  });
}

} // namespace mc::http
