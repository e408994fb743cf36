#include "http/cloud_sim/cloud_sim_server.hpp"

#include <chrono>

#include <httplib.h>

#include "http/cloud_sim/cloud_graph_reply.hpp"
#include "http/cloud_sim/cloud_media_routes.hpp"
#include "http/cloud_sim/cloud_message_route.hpp"
#include "http/tuned_server.hpp"

namespace mc {

namespace {

/// Media documents may be 100 MB (the reference's document limit).
constexpr size_t max_body = 101u << 20;

} // namespace

cloud_sim_server::cloud_sim_server(cloud_sim_parts parts)
  : parts_(std::move(parts)) {
  // Nothing else: start() creates the server.
}

cloud_sim_server::~cloud_sim_server() {
  stop();
}

void cloud_sim_server::install_routes() {
  auto& svr = *server_;
  add_cloud_message_route(svr, parts_);
  add_cloud_media_routes(svr, parts_, scheme_);
  // Anything else is an unknown Graph path, answered as Graph does.
  svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) {
      cloud_graph_error e;
      e.http_status = 400;
      e.code = 2500;
      e.title = "Unknown path components";
      e.details = "Unknown path";
      reply_graph_error(res, e);
    }
  });
}

std::string cloud_sim_server::start(const std::string& host, uint16_t port,
                                    const std::string& tls_cert,
                                    const std::string& tls_key) {
  if (server_)
    return "already serving";
  if (!tls_cert.empty()) {
    auto ssl = std::make_unique<httplib::SSLServer>(tls_cert.c_str(),
                                                    tls_key.c_str());
    if (!ssl->is_valid())
      return "cannot load --tls-cert/--tls-key";
    server_ = std::move(ssl);
    scheme_ = "https";
  } else {
    server_ = std::make_unique<httplib::Server>();
    scheme_ = "http";
  }
  install_routes();
  http::server_tuning t;
  t.threads = 64;
  t.payload_max = max_body;
  t.read_timeout_s = 30;
  auto bound = http::bind_tuned(*server_, host, port, t);
  if (bound <= 0) {
    server_.reset();
    return "cannot listen on " + host + ":" + std::to_string(port);
  }
  port_ = static_cast<uint16_t>(bound);
  auto* svr = server_.get();
  thread_ = std::thread{[svr] { http::listen_tuned(*svr); }};
  for (int i = 0; i < 2000 && !svr->is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
  return {};
}

void cloud_sim_server::stop() {
  if (!server_)
    return;
  server_->stop();
  if (thread_.joinable())
    thread_.join();
  server_.reset();
  port_ = 0;
}

} // namespace mc
