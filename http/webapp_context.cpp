#include "http/webapp_context.hpp"

namespace mc::http {

void reply_error(httplib::Response& res, const api_error& e) {
  res.status = e.http_status;
  res.set_content(to_json(e), "application/json");
}

void reply_json(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json");
}

} // namespace mc::http
