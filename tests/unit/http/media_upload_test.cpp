#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <string>

#include <rapidjson/document.h>

#include "http/body_limits.hpp"
#include "http/media_upload.hpp"

using namespace mc;
using namespace mc::http;

namespace {

api_error fails(std::optional<std::string_view> type, std::string_view body) {
  auto r = check_media_upload(type, body);
  REQUIRE(std::holds_alternative<api_error>(r));
  return std::get<api_error>(r);
}

httplib::Request request(const char* method, const char* path,
                         httplib::Headers headers) {
  httplib::Request req;
  req.method = method;
  req.path = path;
  req.headers = std::move(headers);
  return req;
}

} // namespace

TEST_CASE("an upload needs a Content-Type and bytes") {
  auto e = fails(std::nullopt, "x");
  CHECK(e.code == codes::missing_parameter);
  CHECK(e.http_status == 400);
  CHECK(fails("  ", "x").code == codes::missing_parameter);
  CHECK(fails("image/jpeg", "").code == codes::missing_parameter);
  e = fails("jpeg", "x");
  CHECK(e.code == codes::invalid_parameter);
  CHECK(e.details.find("not a valid MIME type") != std::string::npos);
  CHECK(fails("audio/ogg; codecs=vorbis", "x").code
        == codes::invalid_parameter);
}

TEST_CASE("an upload over its kind's limit is refused with 413") {
  std::string image(5 * 1024 * 1024 + 1, 'j');
  auto e = fails("image/jpeg", image);
  CHECK(e.code == codes::invalid_parameter);
  CHECK(e.http_status == 413);
  CHECK(e.details.find("at most 5 MB") != std::string::npos);
  image.pop_back();
  auto ok = check_media_upload("image/jpeg", image);
  REQUIRE(std::holds_alternative<media_upload>(ok));
  CHECK(std::get<media_upload>(ok).kind == media_kind::image);
  // The same bytes are a valid document.
  auto doc = check_media_upload(" application/pdf ", std::string(6 << 20, 'p'));
  REQUIRE(std::holds_alternative<media_upload>(doc));
  CHECK(std::get<media_upload>(doc).mime_type == "application/pdf");
  // A static sticker over 100 KB is refused.
  e = fails("image/webp", std::string(100 * 1024 + 1, 'w'));
  CHECK(e.details.find("at most 100 KB") != std::string::npos);
}

TEST_CASE("media ids are random version 4 UUIDs") {
  std::regex uuid{"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                  "[0-9a-f]{12}"};
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = new_media_id();
    CHECK(std::regex_match(id, uuid));
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
  rapidjson::Document doc;
  doc.Parse(media_response_json("m1").c_str());
  REQUIRE(doc.IsObject());
  CHECK(std::string{doc["media"][0]["id"].GetString()} == "m1");
  CHECK(doc.HasMember("meta"));
}

TEST_CASE("body limits: 100 MB on POST /v1/media, 64 KiB elsewhere") {
  auto big = std::to_string(64 * 1024 + 1);
  CHECK(body_too_large(request("POST", "/v1/messages",
                               {{"Content-Length", big}})));
  CHECK_FALSE(body_too_large(request("POST", "/v1/messages",
                                     {{"Content-Length", "65536"}})));
  CHECK_FALSE(body_too_large(request("POST", "/v1/media",
                                     {{"Content-Length", big}})));
  CHECK(body_too_large(request("POST", "/v1/media",
                               {{"Content-Length",
                                 std::to_string(100 * 1024 * 1024 + 1)}})));
  // A media id path is no upload.
  CHECK(body_too_large(request("POST", "/v1/media/abc",
                               {{"Content-Length", big}})));
  CHECK_FALSE(body_too_large(request("POST", "/v1/users", {})));
  httplib::Response res;
  CHECK(route_body_limit(request("PATCH", "/v1/settings/application",
                                 {{"Content-Length", big}}),
                         res)
        == httplib::Server::HandlerResponse::Handled);
  CHECK(res.status == 413);
  CHECK(res.get_header_value("Connection") == "close");
}
