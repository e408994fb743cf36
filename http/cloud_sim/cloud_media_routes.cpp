#include "http/cloud_sim/cloud_media_routes.hpp"

#include <httplib.h>

#include "http/cloud_sim/cloud_graph_reply.hpp"
#include "runtime/json_util.hpp"

namespace mc {

namespace {

/// The value of multipart field `name`, empty if absent.
std::string field(const httplib::Request& req, const char* name) {
  return req.has_file(name) ? req.get_file_value(name).content
                            : std::string{};
}

void upload(cloud_sim_parts& parts, const httplib::Request& req,
            httplib::Response& res) {
  using err = cloud_graph_error;
  if (!req.is_multipart_form_data())
    return reply_graph_error(res, err::invalid_parameter(
                                    "The request must be multipart/form-data"));
  auto product = field(req, "messaging_product");
  if (product != "whatsapp")
    return reply_graph_error(
      res, err::invalid_parameter(
             product.empty() ? "The parameter messaging_product is required."
                             : "Param messaging_product must be one of "
                               "{WHATSAPP} - got \"" + clip(product) + "\"."));
  if (!req.has_file("file"))
    return reply_graph_error(
      res, err::invalid_parameter("The parameter file is required."));
  auto file = req.get_file_value("file");
  auto type = field(req, "type");
  if (type.empty())
    type = file.content_type;
  if (type.find('/') == std::string::npos)
    return reply_graph_error(
      res, err::invalid_parameter("Param type must be a MIME type - got \""
                                  + clip(type) + "\"."));
  if (file.content.empty())
    return reply_graph_error(res, err::media_upload("The file is empty"));
  auto stored = parts.media->put(type, std::move(file.content));
  if (!stored)
    return reply_graph_error(
      res, err::media_upload("The simulator holds too much media; delete "
                             "some or reset"));
  reply_graph_json(res, "{\"id\":\"" + stored->id + "\"}");
}

std::string info_json(const cloud_media_entry& m, const std::string& url) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_member(w, "messaging_product", "whatsapp");
  write_member(w, "url", url);
  write_member(w, "mime_type", m.mime_type);
  write_member(w, "sha256", m.sha256);
  w.Key("file_size");
  w.Uint64(m.bytes->size());
  write_member(w, "id", m.id);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::string number_json(const cloud_sim_config& cfg) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_member(w, "verified_name", "Multiconnect Simulator");
  write_member(w, "display_phone_number", cfg.display_phone_number);
  write_member(w, "id", cfg.phone_number_id);
  write_member(w, "quality_rating", "GREEN");
  w.Key("throughput");
  w.StartObject();
  write_member(w, "level", "STANDARD");
  w.EndObject();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

} // namespace

void add_cloud_media_routes(httplib::Server& srv, cloud_sim_parts& parts,
                            std::string scheme) {
  srv.Post(R"(/(v\d+\.\d+)/([^/]+)/media)",
           [&parts](const httplib::Request& req, httplib::Response& res) {
             if (!graph_authorized(parts, req, res))
               return;
             auto number = req.matches[2].str();
             if (number != parts.cfg.phone_number_id)
               return reply_graph_error(
                 res, cloud_graph_error::unknown_object(number, "post"));
             upload(parts, req, res);
           });
  srv.Get(R"(/(v\d+\.\d+)/([^/]+))", [&parts, scheme](
                                        const httplib::Request& req,
                                        httplib::Response& res) {
    if (!graph_authorized(parts, req, res))
      return;
    auto id = req.matches[2].str();
    if (id == parts.cfg.phone_number_id)
      return reply_graph_json(res, number_json(parts.cfg));
    auto m = parts.media->get(id);
    if (!m)
      return reply_graph_error(res,
                               cloud_graph_error::unknown_object(id, "get"));
    parts.media->count_retrieval();
    auto url = scheme + "://" + req.get_header_value("Host")
               + "/media-download/" + id;
    reply_graph_json(res, info_json(*m, url));
  });
  srv.Delete(R"(/(v\d+\.\d+)/([^/]+))",
             [&parts](const httplib::Request& req, httplib::Response& res) {
               if (!graph_authorized(parts, req, res))
                 return;
               auto id = req.matches[2].str();
               if (!parts.media->erase(id))
                 return reply_graph_error(
                   res, cloud_graph_error::unknown_object(id, "delete"));
               reply_graph_json(res, R"({"success":true})");
             });
  // What the url of a retrieval points at; like Meta's it needs the token.
  srv.Get(R"(/media-download/([^/]+))",
          [&parts](const httplib::Request& req, httplib::Response& res) {
            if (!graph_authorized(parts, req, res))
              return;
            auto m = parts.media->get(req.matches[1].str());
            if (!m) {
              res.status = 404;
              res.set_content("Not Found", "text/plain");
              return;
            }
            parts.media->count_download();
            res.set_content(*m->bytes, m->mime_type);
          });
}

} // namespace mc
