#include "http/request_guard.hpp"

#include <cstdlib>
#include <memory>
#include <string>

#include "http/api_error.hpp"

namespace mc::http {

namespace {

using handler_response = httplib::Server::HandlerResponse;

/// Answers `e` and closes the connection: the body comes from a content
/// provider that reports failure after writing it, which is the one way
/// httplib 0.11 lets a handler end a keep-alive connection.
handler_response refuse(httplib::Response& res, const api_error& e) {
  auto body = std::make_shared<std::string>(to_json(e));
  res.status = e.http_status;
  res.set_header("Connection", "close");
  res.set_content_provider(
    body->size(), "application/json",
    [body](size_t offset, size_t length, httplib::DataSink& sink) {
      sink.write(body->data() + offset, length);
      return false;
    });
  return handler_response::Handled;
}

} // namespace

handler_response request_guard::operator()(const httplib::Request& req,
                                           httplib::Response& res) const {
  if (req.headers.size() > header_count_max_)
    return refuse(res, make_api_error(codes::invalid_parameter,
                                      "more than "
                                        + std::to_string(header_count_max_)
                                        + " header fields",
                                      431));
  if (req.has_header("Transfer-Encoding"))
    return refuse(res, make_api_error(codes::invalid_parameter,
                                      "a request body needs Content-Length "
                                      "(Transfer-Encoding is not accepted)",
                                      411));
  if (req.has_header("Content-Length")) {
    const auto& text = req.get_header_value("Content-Length");
    char* end = nullptr;
    unsigned long long len = std::strtoull(text.c_str(), &end, 10);
    if (end == text.c_str() || *end != '\0')
      return refuse(res, make_api_error(codes::invalid_parameter,
                                        "Content-Length is not a number", 400));
    if (len > payload_max_)
      return refuse(res, make_api_error(codes::invalid_parameter,
                                        "request body is larger than "
                                          + std::to_string(payload_max_)
                                          + " bytes",
                                        413));
  }
  return handler_response::Unhandled;
}

} // namespace mc::http
