#include "runtime/message_payload.hpp"

#include "runtime/json_util.hpp"

namespace mc {

std::string text_payload(std::string_view body) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_member(w, "type", "text");
  w.Key("text");
  w.StartObject();
  write_member(w, "body", body);
  w.EndObject();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

} // namespace mc
