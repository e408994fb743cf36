#include "http/route.hpp"

#include "http/request_auth.hpp"
#include "http/webapp_context.hpp"

namespace mc::http {

namespace {

/// The caller's claims for user and admin routes (nullopt: refused, the
/// error is written); an empty claims value for the other kinds.
std::optional<token_claims> admit(const webapp_context& ctx,
                                  route_access access,
                                  const httplib::Request& req,
                                  httplib::Response& res) {
  switch (access) {
    case route_access::open:
      return token_claims{};
    case route_access::user:
      return authenticate(ctx, req, res);
    case route_access::admin:
      return authenticate_admin(ctx, req, res);
    case route_access::monitoring:
      if (!authenticate_monitoring(ctx, req, res))
        return std::nullopt;
      return token_claims{};
  }
  return std::nullopt;
}

void register_on(httplib::Server& srv, route_method method, const char* path,
                 httplib::Server::Handler handler) {
  switch (method) {
    case route_method::get:
      srv.Get(path, std::move(handler));
      return;
    case route_method::post:
      srv.Post(path, std::move(handler));
      return;
    case route_method::patch:
      srv.Patch(path, std::move(handler));
      return;
    case route_method::put:
      srv.Put(path, std::move(handler));
      return;
    case route_method::del:
      srv.Delete(path, std::move(handler));
      return;
  }
}

} // namespace

void add_route(httplib::Server& srv, webapp_context& ctx, route_method method,
               const char* path, route_access access, route_handler handler) {
  register_on(srv, method, path,
              [&ctx, access, handler](const httplib::Request& req,
                                      httplib::Response& res) {
                if (admit(ctx, access, req, res))
                  handler(ctx, req, res);
              });
}

void add_route(httplib::Server& srv, webapp_context& ctx, route_method method,
               const char* path, route_access access,
               caller_route_handler handler) {
  register_on(srv, method, path,
              [&ctx, access, handler](const httplib::Request& req,
                                      httplib::Response& res) {
                if (auto caller = admit(ctx, access, req, res))
                  handler(ctx, req, res, *caller);
              });
}

} // namespace mc::http
