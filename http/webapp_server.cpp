#include "http/webapp_server.hpp"

#include "http/contact_routes.hpp"
#include "http/body_limits.hpp"
#include "http/request_normaliser.hpp"
#include "http/stats_routes.hpp"
#include "http/tuned_server.hpp"
#include "runtime/media_kind.hpp"
#include "runtime/log.hpp"

namespace mc::http {

webapp_server::webapp_server(webapp_context& ctx) : ctx_(ctx) {
  add_user_routes(srv_, ctx_);
  add_message_routes(srv_, ctx_);
  add_read_routes(srv_, ctx_);
  add_admin_routes(srv_, ctx_);
  add_account_routes(srv_, ctx_);
  add_user_admin_routes(srv_, ctx_);
  add_account_settings_routes(srv_, ctx_);
  add_account_verify_route(srv_, ctx_);
  add_stats_routes(srv_, ctx_);
  add_contact_routes(srv_, ctx_);
  ctx_.web_metrics = std::make_shared<request_metrics>();
  ctx_.web_metrics->install(srv_);
  add_media_routes(srv_, ctx_);
  add_cloud_webhook_routes(srv_, ctx_);
  srv_.set_exception_handler([this](const httplib::Request& req,
                                    httplib::Response& res,
                                    std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep)
        std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log_error(ctx_.node_id, req.method, " ", req.path, " failed: ", what);
    reply_error(res, make_api_error(codes::not_ready,
                                    "the request could not be completed; "
                                    "retry shortly"));
  });
  srv_.set_error_handler([](const httplib::Request& req,
                            httplib::Response& res) {
    // Only fill in bodies httplib left empty (unknown routes, 413...);
    // the request guard's refusals come with a content provider.
    if (!res.body.empty() || res.content_length_ > 0)
      return;
    if (res.status == 404)
      reply_error(res, make_api_error(codes::not_found, "no route " + req.method
                                                            + " " + req.path));
    else if (res.status == 400)
      // httplib answers 400 for a bad request line, a header line over
      // 8192 bytes and a body that does not match its framing alike.
      reply_error(res, make_api_error(codes::invalid_parameter,
                                      "malformed HTTP request: the request "
                                      "line or a header is not valid (a "
                                      "header line is limited to 8192 "
                                      "bytes), or the body does not match "
                                      "its framing"));
    else if (res.status == 413)
      reply_error(res, make_api_error(codes::invalid_parameter,
                                      "request body is too large", 413));
    else
      reply_error(res,
                  make_api_error(codes::generic, "request failed", res.status));
  });
}

int webapp_server::bind(const std::string& host, int port, int threads) {
  server_tuning t;
  t.threads = threads;
  // httplib keeps one pre-routing handler (the tuned server's guard): the
  // request timing starts in the step chained after it. The server-wide
  // cap (the guard's) is the largest media; the route limit keeps every
  // other route at its small one, checked on the normalised path.
  t.payload_max = max_media_bytes;
  t.pre_routing = [metrics = ctx_.web_metrics](const httplib::Request& req,
                                               httplib::Response& res) {
    metrics->started();
    request_normaliser::apply(req, res);
    return route_body_limit(req, res);
  };
  return bind_tuned(srv_, host, port, t);
}

void webapp_server::run() {
  listen_tuned(srv_);
}

void webapp_server::stop() {
  srv_.stop();
}

} // namespace mc::http
