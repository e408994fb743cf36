// The account's settings beyond the application settings: reset of the
// application settings, two-step verification and the profile. Every route
// is admin-only, as in the On-Prem reference, and answers 200.
//   DELETE /v1/settings/application       .../api/settings/app ("Reset")
//   POST/DELETE /v1/settings/account/two-step  .../api/settings/two-step
//   GET/PATCH /v1/settings/profile/about  .../api/settings/profile/about
//   GET/POST/DELETE /v1/settings/profile/photo .../settings/profile/photo
//   GET/POST /v1/settings/business/profile     .../settings/business/profile
// (pages under developers.facebook.com/docs/whatsapp/.) The profile is kept
// in PostgreSQL (runtime/store/account_store), not sent to the upstream.

#include <pqxx/pqxx>

#include "http/account_settings_request.hpp"
#include "http/password_hash.hpp"
#include "http/route.hpp"
#include "http/settings_patch.hpp"
#include "http/settings_pusher.hpp"
#include "http/webapp_context.hpp"
#include "runtime/log.hpp"
#include "runtime/store/account_store.hpp"
#include "runtime/store/cluster_config.hpp"

namespace mc::http {

namespace {

void reset_settings(webapp_context& ctx, const httplib::Request&,
                    httplib::Response& res) {
  auto defaults = ctx.db->with([](pqxx::connection& c) {
    return update_settings(c, [](const app_settings&) {
      return std::optional<app_settings>{app_settings{}};
    });
  });
  ctx.settings->set(*defaults);
  push_settings(ctx, settings_to_stored_json(*defaults),
                std::chrono::seconds{2});
  log_info(ctx.node_id, "application settings reset to their defaults");
  reply_json(res, 200, ok_json());
}

void enable_two_step(webapp_context& ctx, const httplib::Request& req,
                     httplib::Response& res) {
  auto pin = parsed_or_reply(parse_pin_body(req.body), res);
  if (!pin)
    return;
  // Hashed like a password: the PIN guards the shard-count change.
  auto hash = hash_password(*pin);
  ctx.db->with([&](pqxx::connection& c) {
    store_pin_hash(c, hash);
    return 0;
  });
  reply_json(res, 200, ok_json());
}

void disable_two_step(webapp_context& ctx, const httplib::Request&,
                      httplib::Response& res) {
  ctx.db->with([](pqxx::connection& c) {
    store_pin_hash(c, "");
    return 0;
  });
  reply_json(res, 200, ok_json());
}

void get_about(webapp_context& ctx, const httplib::Request&,
               httplib::Response& res) {
  auto text = ctx.db->with([](pqxx::connection& c) { return load_about(c); });
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  w.Key("settings");
  w.StartObject();
  w.Key("profile");
  w.StartObject();
  w.Key("about");
  w.StartObject();
  write_member(w, "text", text);
  w.EndObject();
  w.EndObject();
  w.EndObject();
  write_meta(w);
  w.EndObject();
  reply_json(res, 200, {buf.GetString(), buf.GetSize()});
}

void set_about(webapp_context& ctx, const httplib::Request& req,
               httplib::Response& res) {
  auto text = parsed_or_reply(parse_about_body(req.body), res);
  if (!text)
    return;
  ctx.db->with([&](pqxx::connection& c) {
    store_about(c, *text);
    return 0;
  });
  reply_json(res, 200, ok_json());
}

void get_photo(webapp_context& ctx, const httplib::Request&,
               httplib::Response& res) {
  auto photo = ctx.db->with([](pqxx::connection& c) { return load_photo(c); });
  if (!photo) {
    reply_error(res, make_api_error(codes::not_found, "no profile photo"));
    return;
  }
  res.status = 200;
  res.set_content(photo->bytes, photo->type.c_str());
}

void set_photo(webapp_context& ctx, const httplib::Request& req,
               httplib::Response& res) {
  auto type = parsed_or_reply(photo_type(req.body), res);
  if (!type)
    return;
  ctx.db->with([&](pqxx::connection& c) {
    store_photo(c, {req.body, *type});
    return 0;
  });
  reply_json(res, 200, ok_json());
}

void remove_photo(webapp_context& ctx, const httplib::Request&,
                  httplib::Response& res) {
  ctx.db->with([](pqxx::connection& c) { return delete_photo(c); });
  reply_json(res, 200, ok_json());
}

void get_business(webapp_context& ctx, const httplib::Request&,
                  httplib::Response& res) {
  auto stored = ctx.db->with(
    [](pqxx::connection& c) { return load_business_profile(c); });
  reply_json(res, 200, business_profile_response_json(stored));
}

void set_business(webapp_context& ctx, const httplib::Request& req,
                  httplib::Response& res) {
  std::optional<api_error> failure;
  ctx.db->with([&](pqxx::connection& c) {
    auto merged = merge_business_profile(load_business_profile(c), req.body);
    if (auto err = std::get_if<api_error>(&merged))
      failure = *err;
    else
      store_business_profile(c, std::get<std::string>(merged));
    return 0;
  });
  if (failure) {
    reply_error(res, *failure);
    return;
  }
  reply_json(res, 200, ok_json());
}

} // namespace

void add_account_settings_routes(httplib::Server& srv, webapp_context& ctx) {
  using m = route_method;
  auto admin = route_access::admin;
  add_route(srv, ctx, m::del, "/v1/settings/application", admin,
            reset_settings);
  add_route(srv, ctx, m::post, "/v1/settings/account/two-step", admin,
            enable_two_step);
  add_route(srv, ctx, m::del, "/v1/settings/account/two-step", admin,
            disable_two_step);
  add_route(srv, ctx, m::get, "/v1/settings/profile/about", admin, get_about);
  add_route(srv, ctx, m::patch, "/v1/settings/profile/about", admin,
            set_about);
  add_route(srv, ctx, m::get, "/v1/settings/profile/photo", admin, get_photo);
  add_route(srv, ctx, m::post, "/v1/settings/profile/photo", admin,
            set_photo);
  add_route(srv, ctx, m::del, "/v1/settings/profile/photo", admin,
            remove_photo);
  add_route(srv, ctx, m::get, "/v1/settings/business/profile", admin,
            get_business);
  add_route(srv, ctx, m::post, "/v1/settings/business/profile", admin,
            set_business);
}

} // namespace mc::http
