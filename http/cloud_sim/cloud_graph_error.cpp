#include "http/cloud_sim/cloud_graph_error.hpp"

#include <random>

#include "runtime/json_util.hpp"

namespace mc {

namespace {

/// 27 characters like the reference's fbtrace_id ("Az8or2yhqkZfEZ-_4Qn_Bam").
std::string trace_id() {
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string out(27, 'A');
  for (auto& c : out)
    c = alphabet[rng() % 64];
  return out;
}

cloud_graph_error make(int status, int code, std::string title,
                       std::string details) {
  cloud_graph_error e;
  e.http_status = status;
  e.code = code;
  e.title = std::move(title);
  e.details = std::move(details);
  return e;
}

} // namespace

std::string cloud_graph_error::body() const {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  w.Key("error");
  w.StartObject();
  write_member(w, "message", "(#" + std::to_string(code) + ") " + title);
  write_member(w, "type", type);
  w.Key("code");
  w.Int(code);
  w.Key("error_data");
  w.StartObject();
  write_member(w, "messaging_product", "whatsapp");
  write_member(w, "details", details);
  w.EndObject();
  if (subcode != 0) {
    w.Key("error_subcode");
    w.Int(subcode);
  }
  write_member(w, "fbtrace_id", trace_id());
  w.EndObject();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

cloud_graph_error cloud_graph_error::invalid_parameter(std::string details) {
  return make(400, 100, "Invalid parameter", std::move(details));
}

cloud_graph_error cloud_graph_error::missing_parameter(std::string details) {
  return make(400, 131008, "Required parameter is missing",
              std::move(details));
}

cloud_graph_error cloud_graph_error::invalid_value(std::string details) {
  return make(400, 131009, "Parameter value is not valid",
              std::move(details));
}

cloud_graph_error cloud_graph_error::bad_token(bool expired) {
  auto e = make(401, 190,
                expired ? "Error validating access token: Session has expired"
                        : "Invalid OAuth access token - Cannot parse access "
                          "token",
                expired ? "Access token has expired" : "Invalid access token");
  if (expired)
    e.subcode = 463;
  return e;
}

cloud_graph_error cloud_graph_error::unknown_object(const std::string& id,
                                                    const std::string& verb) {
  auto e = make(400, 100,
                "Unsupported " + verb + " request. Object with ID '" + id
                  + "' does not exist, cannot be loaded due to missing "
                    "permissions, or does not support this operation",
                "Object with ID '" + id + "' does not exist");
  e.type = "GraphMethodException";
  e.subcode = 33;
  return e;
}

cloud_graph_error cloud_graph_error::throughput() {
  return make(400, 130429, "Rate limit hit",
              "Message failed to send because there were too many messages "
              "sent from this phone number in a short period of time");
}

cloud_graph_error cloud_graph_error::pair_rate() {
  return make(400, 131056,
              "(Business Account, Consumer Account) pair rate limit hit",
              "Message failed to send because there were too many messages "
              "sent from this phone number to the same phone number in a "
              "short period of time");
}

cloud_graph_error cloud_graph_error::overloaded() {
  return make(503, 131016, "Service unavailable",
              "A service is temporarily unavailable. Please try again later");
}

cloud_graph_error cloud_graph_error::template_missing(
  const std::string& name, const std::string& language) {
  return make(404, 132001, "Template name does not exist in the translation",
              "template name (" + name + ") does not exist in " + language);
}

cloud_graph_error cloud_graph_error::media_upload(std::string details) {
  return make(400, 131053, "Media upload error", std::move(details));
}

cloud_graph_error cloud_graph_error::injected(int http_status, int code,
                                              std::string details) {
  std::string title = "Injected error";
  switch (code) {
    case 131000: title = "Something went wrong"; break;
    case 131016: title = "Service unavailable"; break;
    case 131026: title = "Message Undeliverable"; break;
    case 130429: title = "Rate limit hit"; break;
    case 131056:
      title = "(Business Account, Consumer Account) pair rate limit hit";
      break;
    case 190: title = "Access token has expired"; break;
    case 2: title = "Service temporarily unavailable"; break;
    default: break;
  }
  return make(http_status, code, title, std::move(details));
}

} // namespace mc
