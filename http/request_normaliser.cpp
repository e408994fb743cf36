#include "http/request_normaliser.hpp"

namespace mc::http {

std::string request_normaliser::route_path(const std::string& path) {
  auto end = path.size();
  while (end > 1 && path[end - 1] == '/')
    --end;
  return path.substr(0, end);
}

httplib::Server::HandlerResponse
request_normaliser::apply(const httplib::Request& creq, httplib::Response&) {
  // The pre-routing handler runs before the route is matched and before
  // the body is read, and sees the server's own (non-const) request
  // object: the one place both fixes apply to every route at once.
  auto& req = const_cast<httplib::Request&>(creq);
  if (req.path.size() > 1 && req.path.back() == '/')
    req.path = route_path(req.path);
  bool has_body_method =
      req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
  if (has_body_method && !req.has_header("Content-Length")
      && req.get_header_value("Transfer-Encoding") != "chunked")
    req.headers.emplace("Content-Length", "0");
  return httplib::Server::HandlerResponse::Unhandled;
}

} // namespace mc::http
