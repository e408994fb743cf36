/// The media routes: POST /v1/media, GET and DELETE /v1/media/{media-id}
/// (developers.facebook.com/docs/whatsapp/api/media and
/// developers.facebook.com/docs/whatsapp/on-premises/reference/media/media-id).
/// Media live in PostgreSQL (runtime/store/media_store), so any webapp
/// answers for a media another one took.

#include <memory>

#include <pqxx/pqxx>

#include "http/media_upload.hpp"
#include "http/route.hpp"
#include "http/webapp_context.hpp"
#include "runtime/sha256.hpp"
#include "runtime/store/media_store.hpp"

namespace mc::http {

namespace {

/// Uploads expire 30 days after upload: "outgoing media is generally safe
/// to be removed past 30 days" (developers.facebook.com/docs/whatsapp/api/media).
constexpr int64_t upload_ttl_s = 30 * 24 * 3600;

/// Expired rows deleted per upload: the pruning rides on uploads, so the
/// table stays bounded by the upload rate times the lifetime.
constexpr size_t prune_per_upload = 16;

api_error unknown_media(const std::string& id) {
  return make_api_error(codes::not_found,
                        "media '" + clip(id) + "' does not exist or expired");
}

void upload(webapp_context& ctx, const httplib::Request& req,
            httplib::Response& res) {
  std::optional<std::string_view> content_type;
  if (req.has_header("Content-Type"))
    content_type = req.get_header_value("Content-Type");
  auto checked
    = parsed_or_reply(check_media_upload(content_type, req.body), res);
  if (!checked)
    return;
  media_info info{new_media_id(), checked->mime_type, sha256_hex(req.body),
                  static_cast<int64_t>(req.body.size())};
  ctx.db->with([&](pqxx::connection& c) {
    insert_media(c, info, req.body, upload_ttl_s);
    prune_expired_media(c, prune_per_upload);
    return 0;
  });
  reply_json(res, 201, media_response_json(info.id));
}

void download(webapp_context& ctx, const httplib::Request& req,
              httplib::Response& res) {
  auto id = req.matches[1].str();
  auto blob = ctx.db->with(
    [&](pqxx::connection& c) { return find_media(c, id); });
  if (!blob) {
    reply_error(res, unknown_media(id));
    return;
  }
  // Streamed from the fetched buffer: a 100 MB media is not copied again
  // into the response body.
  auto held = std::make_shared<media_blob>(std::move(*blob));
  res.status = 200;
  res.set_content_provider(
    held->bytes.size(), held->info.mime_type,
    [held](size_t offset, size_t length, httplib::DataSink& sink) {
      return sink.write(held->bytes.get() + offset, length);
    });
}

void remove_media(webapp_context& ctx, const httplib::Request& req,
            httplib::Response& res) {
  auto id = req.matches[1].str();
  auto deleted = ctx.db->with(
    [&](pqxx::connection& c) { return delete_media(c, id); });
  if (!deleted) {
    reply_error(res, unknown_media(id));
    return;
  }
  reply_json(res, 200, ok_json());
}

} // namespace

void add_media_routes(httplib::Server& srv, webapp_context& ctx) {
  using m = route_method;
  add_route(srv, ctx, m::post, "/v1/media", route_access::user, upload);
  add_route(srv, ctx, m::get, R"(/v1/media/([^/]+))", route_access::user,
            download);
  add_route(srv, ctx, m::del, R"(/v1/media/([^/]+))", route_access::user,
            remove_media);
}

} // namespace mc::http
