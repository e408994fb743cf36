// GET, PUT and DELETE /v1/users/{username}, as the On-Prem reference has
// them (developers.facebook.com/docs/whatsapp/api/users and
// .../api/users/manage): the admin manages every user, a user may read
// itself and change its own password; the admin account cannot be deleted.
// Each answers {"users":[{"username":...}]}; an unknown user is 1006 (404).

#include <pqxx/pqxx>

#include "http/account_settings_request.hpp"
#include "http/password_hash.hpp"
#include "http/route.hpp"
#include "http/webapp_context.hpp"
#include "runtime/log.hpp"
#include "runtime/store/user_store.hpp"

namespace mc::http {

namespace {

/// The path's user names: the characters POST /v1/users accepts.
constexpr const char* user_path = R"(/v1/users/([A-Za-z0-9_.\-]{1,64}))";

std::string users_json(const std::string& name) {
  return "{\"users\":[{\"username\":\"" + name + "\"}]," + meta_json_fields()
         + "}";
}

/// True when `caller` may act on `name` (the admin, or the user itself);
/// otherwise the 403 is written.
bool self_or_admin(const token_claims& caller, const std::string& name,
                   httplib::Response& res) {
  if (caller.is_admin || caller.username == name)
    return true;
  reply_error(res, make_api_error(codes::access_denied,
                                  "only the admin or the user itself may "
                                  "do this",
                                  403));
  return false;
}

void reply_no_user(httplib::Response& res, const std::string& name) {
  reply_error(res, make_api_error(codes::not_found,
                                  "user '" + name + "' does not exist"));
}

void get_user(webapp_context& ctx, const httplib::Request& req,
              httplib::Response& res, const token_claims& caller) {
  std::string name = req.matches[1];
  if (!self_or_admin(caller, name, res))
    return;
  auto row = ctx.db->with(
    [&](pqxx::connection& c) { return find_user(c, name); });
  if (!row) {
    reply_no_user(res, name);
    return;
  }
  reply_json(res, 200, users_json(name));
}

void update_user(webapp_context& ctx, const httplib::Request& req,
                 httplib::Response& res, const token_claims& caller) {
  std::string name = req.matches[1];
  if (!self_or_admin(caller, name, res))
    return;
  auto password = parsed_or_reply(parse_password_update_body(req.body), res);
  if (!password)
    return;
  auto hash = hash_password(*password);
  auto found = ctx.db->with([&](pqxx::connection& c) {
    if (!find_user(c, name))
      return false;
    set_password(c, name, hash);
    return true;
  });
  if (!found) {
    reply_no_user(res, name);
    return;
  }
  reply_json(res, 200, users_json(name));
}

void delete_user_route(webapp_context& ctx, const httplib::Request& req,
                       httplib::Response& res) {
  std::string name = req.matches[1];
  auto row = ctx.db->with(
    [&](pqxx::connection& c) { return find_user(c, name); });
  if (!row) {
    reply_no_user(res, name);
    return;
  }
  if (row->is_admin) {
    reply_error(res, make_api_error(codes::access_denied,
                                    "the admin account cannot be deleted",
                                    403));
    return;
  }
  ctx.db->with([&](pqxx::connection& c) { return delete_user(c, name); });
  log_info(ctx.node_id, "user ", name, " deleted");
  reply_json(res, 200, users_json(name));
}

} // namespace

void add_user_admin_routes(httplib::Server& srv, webapp_context& ctx) {
  using m = route_method;
  add_route(srv, ctx, m::get, user_path, route_access::user, get_user);
  add_route(srv, ctx, m::put, user_path, route_access::user, update_user);
  add_route(srv, ctx, m::del, user_path, route_access::admin,
            delete_user_route);
}

} // namespace mc::http
