#include "actors/sim/sim_inbound_samples.hpp"

#include <algorithm>

#include "actors/sim/sim_media_samples.hpp"
#include "runtime/inbound_payload.hpp"
#include "runtime/json_util.hpp"

namespace mc {

namespace {

/// The business number that replies are in the context of.
constexpr const char* business = "16315558007";

struct sample_writer {
  rapidjson::StringBuffer buf;
  json_writer w{buf};

  void str(const char* key, const std::string& value) {
    write_member(w, key, value);
  }

  std::string done() {
    return {buf.GetString(), buf.GetSize()};
  }
};

/// {"id","mime_type","sha256"[,"caption"][,"filename"]}.
/// The media's bytes are sim_media_samples', held by the simulator when the
/// message is delivered, so "sha256" is their real digest.
void media(sample_writer& s, const std::string& type, uint64_t n,
           bool caption, bool filename = false) {
  auto sample = sim_media_samples::make(
    std::string{sim_media_samples::id_prefix} + type + "-" + std::to_string(n),
    sim_media_samples::mime_of(type));
  s.w.Key(type.c_str());
  s.w.StartObject();
  s.str("id", sample.id);
  s.str("mime_type", sample.mime_type);
  s.str("sha256", sample.sha256);
  if (caption)
    s.str("caption", type + " caption #" + std::to_string(n));
  if (filename)
    s.str("filename", "sim-document-" + std::to_string(n) + ".pdf");
  s.w.EndObject();
}

/// A reply's "context": the business's message it answers.
void context(sample_writer& s, uint64_t n) {
  s.w.Key("context");
  s.w.StartObject();
  s.str("from", business);
  s.str("id", "sim-ctx-" + std::to_string(n));
  s.w.EndObject();
}

void interactive(sample_writer& s, uint64_t n) {
  bool list = n % 2 == 0;
  auto kind = list ? "list_reply" : "button_reply";
  s.w.Key("interactive");
  s.w.StartObject();
  s.str("type", kind);
  s.w.Key(kind);
  s.w.StartObject();
  s.str("id", (list ? "row-" : "button-") + std::to_string(n % 3));
  s.str("title", list ? "Row " + std::to_string(n % 3) : "Yes");
  if (list)
    s.str("description", "Row " + std::to_string(n % 3) + " description");
  s.w.EndObject();
  s.w.EndObject();
  context(s, n);
}

void body_of(sample_writer& s, const std::string& type, uint64_t n,
             const std::string& from) {
  auto num = std::to_string(n);
  if (type == "text") {
    s.w.Key("text");
    s.w.StartObject();
    s.str("body", "hello from " + from + " #" + num);
    s.w.EndObject();
  } else if (type == "image") {
    media(s, type, n, true);
  } else if (type == "audio") {
    media(s, type, n, false);
  } else if (type == "video") {
    media(s, type, n, true);
  } else if (type == "document") {
    media(s, type, n, true, true);
  } else if (type == "voice") {
    media(s, type, n, false);
  } else if (type == "sticker") {
    media(s, type, n, false);
  } else if (type == "location") {
    s.w.Key("location");
    s.w.StartObject();
    s.str("address", "Main Street Beach, Santa Cruz, CA");
    s.w.Key("latitude");
    s.w.Double(38.9806263495);
    s.w.Key("longitude");
    s.w.Double(-131.9428612257);
    s.str("name", "Main Street Beach");
    s.str("url", "https://foursquare.com/v/4d7031d35b5df7744");
    s.w.EndObject();
  } else if (type == "contacts") {
    s.w.Key("contacts");
    s.w.StartArray();
    s.w.StartObject();
    s.w.Key("name");
    s.w.StartObject();
    s.str("first_name", "Kerry");
    s.str("formatted_name", "Kerry Fisher");
    s.str("last_name", "Fisher");
    s.w.EndObject();
    s.w.Key("phones");
    s.w.StartArray();
    s.w.StartObject();
    s.str("phone", "+1 (940) 555-1234");
    s.str("type", "CELL");
    s.str("wa_id", "19405551234");
    s.w.EndObject();
    s.w.EndArray();
    s.w.EndObject();
    s.w.EndArray();
  } else if (type == "interactive") {
    interactive(s, n);
  } else if (type == "button") {
    s.w.Key("button");
    s.w.StartObject();
    s.str("payload", n % 2 == 0 ? "Yes-Button-Payload" : "No-Button-Payload");
    s.str("text", n % 2 == 0 ? "Yes" : "No");
    s.w.EndObject();
    context(s, n);
  } else if (type == "reaction") {
    s.w.Key("reaction");
    s.w.StartObject();
    s.str("emoji", "\xF0\x9F\x91\x8D"); // thumbs up
    s.str("message_id", "sim-ctx-" + num);
    s.w.EndObject();
  } else if (type == "system") {
    // The reference's "user changed number" system message.
    auto to = from.substr(0, from.size() > 4 ? from.size() - 4 : 0) + "4321";
    s.w.Key("system");
    s.w.StartObject();
    s.str("body", "User " + from + " changed from " + from + " to " + to);
    s.str("new_wa_id", to);
    s.str("type", "user_changed_number");
    s.w.EndObject();
  } else { // unknown
    s.w.Key("errors");
    s.w.StartArray();
    s.w.StartObject();
    s.w.Key("code");
    s.w.Int(501);
    s.str("details", "Message type is not currently supported");
    s.str("title", "Unknown message type");
    s.w.EndObject();
    s.w.EndArray();
  }
}

} // namespace

const std::vector<std::string>& sim_inbound_samples::mix() {
  static const std::vector<std::string> types = [] {
    std::vector<std::string> out{"text", "text", "text", "text"};
    for (auto& t : inbound_types())
      if (t != "text")
        out.push_back(t);
    return out;
  }();
  return types;
}

std::string sim_inbound_samples::payload(const std::string& type, uint64_t n,
                                         const std::string& from) {
  auto& known = inbound_types();
  if (std::find(known.begin(), known.end(), type) == known.end())
    return {};
  sample_writer s;
  s.w.StartObject();
  s.str("type", type);
  body_of(s, type, n, from);
  s.w.EndObject();
  return s.done();
}

std::string sim_inbound_samples::profile_name(const std::string& from) {
  return "Sim User " + from;
}

} // namespace mc
