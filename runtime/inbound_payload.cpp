#include "runtime/inbound_payload.hpp"

#include <algorithm>

#include "runtime/json_util.hpp"

namespace mc {

const std::vector<std::string>& inbound_types() {
  static const std::vector<std::string> types{
    "text",     "image",       "audio",  "video",    "document",
    "voice",    "sticker",     "location", "contacts", "interactive",
    "button",   "reaction",    "system", "unknown"};
  return types;
}

std::optional<std::string> inbound_type(std::string_view payload) {
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_object(payload, doc, error))
    return std::nullopt;
  auto t = doc.FindMember("type");
  if (t == doc.MemberEnd() || !t->value.IsString())
    return std::nullopt;
  std::string type{as_view(t->value)};
  auto& known = inbound_types();
  if (std::find(known.begin(), known.end(), type) == known.end())
    return std::nullopt;
  // An unknown message carries why (On-Prem: errors[] with code 501), every
  // other type its own object ("contacts" an array of contacts).
  auto body = doc.FindMember(type == "unknown" ? "errors" : type.c_str());
  if (body == doc.MemberEnd())
    return std::nullopt;
  bool array = type == "unknown" || type == "contacts";
  if (array ? !body->value.IsArray() : !body->value.IsObject())
    return std::nullopt;
  return type;
}

} // namespace mc
