#include "http/sim_media_routes.hpp"

#include <atomic>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "runtime/json_util.hpp"
#include "runtime/sha256.hpp"

namespace mc {

namespace {

void reply_missing(httplib::Response& res, const std::string& id) {
  res.status = 404;
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_member(w, "error", "no media " + id);
  w.EndObject();
  res.set_content(buf.GetString(), buf.GetSize(), "application/json");
}

std::string info_json(const std::string& id, const sim_media_entry& m) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_member(w, "id", id);
  write_member(w, "account", m.account);
  write_member(w, "mime_type", m.mime_type);
  write_member(w, "sha256", m.sha256);
  w.Key("size");
  w.Uint64(m.bytes->size());
  w.Key("uploads");
  w.Uint64(m.uploads);
  w.EndObject();
  return buf.GetString();
}

} // namespace

void add_sim_media_routes(httplib::Server& srv,
                          std::shared_ptr<sim_media> media) {
  srv.Get(R"(/media/([^/]+))", [media](const httplib::Request& req,
                                       httplib::Response& res) {
    auto id = req.matches[1].str();
    auto m = media->get(id);
    if (!m)
      return reply_missing(res, id);
    res.set_content(info_json(id, *m), "application/json");
  });
  srv.Get(R"(/media/([^/]+)/bytes)", [media](const httplib::Request& req,
                                             httplib::Response& res) {
    auto id = req.matches[1].str();
    auto m = media->get(id);
    if (!m)
      return reply_missing(res, id);
    res.set_content(*m->bytes, m->mime_type);
  });
  auto next = std::make_shared<std::atomic<uint64_t>>(1);
  srv.Post("/media", [media, next](const httplib::Request& req,
                                   httplib::Response& res) {
    auto id = req.has_param("id")
                ? req.get_param_value("id")
                : "sim-media-" + std::to_string(next->fetch_add(1));
    auto mime = req.get_header_value("Content-Type");
    media->put(req.get_param_value("account"), id,
               mime.empty() ? "application/octet-stream" : mime,
               sha256_hex(req.body), req.body);
    rapidjson::StringBuffer buf;
    json_writer w{buf};
    w.StartObject();
    write_member(w, "id", id);
    w.EndObject();
    res.set_content(buf.GetString(), buf.GetSize(), "application/json");
  });
}

} // namespace mc
