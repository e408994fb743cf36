#include "http/sim_inbound_request.hpp"

#include <atomic>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "actors/sim/sim_inbound_samples.hpp"
#include "runtime/inbound_payload.hpp"
#include "runtime/json_util.hpp"

namespace mc {

namespace {

/// Per-type sample numbers, so repeated injections differ.
std::atomic<uint64_t> next_sample{0};

} // namespace

std::variant<sim_inbound_request, std::string>
parse_sim_inbound(std::string_view body) {
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_object(body, doc, error))
    return std::string{"body must be a JSON object"};
  auto str = [&](const char* name, std::string& out) {
    auto i = doc.FindMember(name);
    if (i == doc.MemberEnd() || !i->value.IsString())
      return false;
    out.assign(as_view(i->value));
    return true;
  };
  sim_inbound_request r;
  if (!str("account", r.account) || r.account.empty()
      || !str("from", r.msg.from) || r.msg.from.empty())
    return std::string{"account and from must be non-empty strings"};
  if (doc.HasMember("id") && !str("id", r.msg.id))
    return std::string{"id must be a string"};
  if (doc.HasMember("name") && !str("name", r.msg.profile_name))
    return std::string{"name must be a string"};
  if (!doc.HasMember("name"))
    r.msg.profile_name = sim_inbound_samples::profile_name(r.msg.from);
  int given = doc.HasMember("body") + doc.HasMember("type")
              + doc.HasMember("message");
  if (given != 1)
    return std::string{"give exactly one of body, type and message"};
  std::string text;
  if (str("body", text)) {
    r.msg.payload = text_payload(text);
  } else if (std::string type; str("type", type)) {
    r.msg.payload = sim_inbound_samples::payload(type, next_sample++, r.msg.from);
    if (r.msg.payload.empty())
      return "type " + type + " is not an inbound message type";
  } else if (auto m = doc.FindMember("message");
             m != doc.MemberEnd() && m->value.IsObject()) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w{buf};
    m->value.Accept(w);
    r.msg.payload.assign(buf.GetString(), buf.GetSize());
    if (!inbound_type(r.msg.payload))
      return std::string{"message must be an object with a known type and "
                         "the object of that type"};
  } else {
    return std::string{"body and type must be strings, message an object"};
  }
  return r;
}

} // namespace mc
