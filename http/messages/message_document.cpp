#include "http/messages/message_document.hpp"

#include "runtime/json_util.hpp"

namespace mc::http {

std::string message_document::of(const rapidjson::Value& request,
                                 std::string_view type) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_member(w, "type", type);
  for (auto& m : request.GetObject()) {
    auto name = as_view(m.name);
    if (name == "to" || name == "type")
      continue;
    w.Key(m.name.GetString(), m.name.GetStringLength());
    m.value.Accept(w);
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

} // namespace mc::http
