#pragma once

#include <memory>
#include <string>

#include <httplib.h>

#include "http/webapp_context.hpp"

namespace mc::http {

/// The webapp's REST server: the On-Prem routes on a tuned cpp-httplib
/// server, answering every failure in the On-Prem error shape.
class webapp_server {
public:
  explicit webapp_server(webapp_context& ctx);

  /// Binds; returns the port or 0 on failure.
  int bind(const std::string& host, int port, int threads);

  /// Serves until stop() (blocks).
  void run();

  void stop();

private:
  webapp_context& ctx_;
  httplib::Server srv_;
};

} // namespace mc::http
