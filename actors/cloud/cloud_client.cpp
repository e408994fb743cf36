#include "actors/cloud/cloud_client.hpp"

#include <httplib.h>

#include "runtime/json_util.hpp"

namespace mc {

namespace {

constexpr time_t connect_timeout_s = 5;
constexpr time_t io_timeout_s = 20;

httplib::Headers bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

cloud_answer answer_of(const httplib::Result& res) {
  if (!res)
    return parse_cloud_answer(0, httplib::to_string(res.error()));
  return parse_cloud_answer(res->status, res->body);
}

/// The string member `key` of a JSON object body, or empty.
std::string member_of(const std::string& body, const char* key) {
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_object(body, doc, error))
    return {};
  auto i = doc.FindMember(key);
  if (i == doc.MemberEnd() || !i->value.IsString())
    return {};
  return std::string{as_view(i->value)};
}

/// "https://host:port/path?q" -> ("https://host:port", "/path?q").
std::pair<std::string, std::string> split_url(const std::string& url) {
  auto scheme = url.find("://");
  auto path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (path == std::string::npos)
    return {url, "/"};
  return {url.substr(0, path), url.substr(path)};
}

void tune(httplib::Client& c, const cloud_settings& s) {
  c.set_keep_alive(true);
  c.set_connection_timeout(connect_timeout_s, 0);
  c.set_read_timeout(io_timeout_s, 0);
  c.set_write_timeout(io_timeout_s, 0);
  if (!s.ca_file.empty())
    c.set_ca_cert_path(s.ca_file.c_str());
}

} // namespace

cloud_client::cloud_client(cloud_settings settings)
  : settings_(std::move(settings)),
    http_(std::make_unique<httplib::Client>(settings_.url)) {
  tune(*http_, settings_);
}

cloud_client::~cloud_client() {
  // nop: defined here, where httplib::Client is complete
}

cloud_answer cloud_client::post_message(const std::string& token,
                                        const std::string& body) {
  auto path = "/" + settings_.api_version + "/" + settings_.phone_number_id
              + "/messages";
  return answer_of(
    http_->Post(path.c_str(), bearer(token), body, "application/json"));
}

cloud_upload cloud_client::upload_media(const std::string& token,
                                        const std::string& mime_type,
                                        const std::string& bytes) {
  auto path = "/" + settings_.api_version + "/" + settings_.phone_number_id
              + "/media";
  httplib::MultipartFormDataItems items{
    {"messaging_product", "whatsapp", "", ""},
    {"type", mime_type, "", ""},
    {"file", bytes, "media", mime_type},
  };
  auto res = http_->Post(path.c_str(), bearer(token), items);
  cloud_upload out{answer_of(res), {}};
  if (res && res->status == 200)
    out.media_id = member_of(res->body, "id");
  return out;
}

cloud_download cloud_client::download_media(const std::string& token,
                                            const std::string& media_id) {
  auto path = "/" + settings_.api_version + "/" + media_id;
  auto meta = http_->Get(path.c_str(), bearer(token));
  cloud_download out{answer_of(meta), {}, {}};
  if (!meta || meta->status != 200)
    return out;
  auto url = member_of(meta->body, "url");
  out.mime_type = member_of(meta->body, "mime_type");
  // The URL names its own host (Meta's CDN, or the simulator): a client of
  // its own, with the same token and trust.
  auto split = split_url(url);
  httplib::Client cdn{split.first};
  tune(cdn, settings_);
  auto bytes = cdn.Get(split.second.c_str(), bearer(token));
  out.answer = answer_of(bytes);
  if (bytes && bytes->status == 200)
    out.bytes = std::move(bytes->body);
  return out;
}

} // namespace mc
