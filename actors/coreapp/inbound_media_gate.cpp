#include "actors/coreapp/inbound_media_gate.hpp"

#include "runtime/json_util.hpp"

namespace mc {

std::vector<std::string>
inbound_media_gate::media_ids(const inbound_message& m) {
  std::vector<std::string> out;
  // Most inbound traffic is text: skip the parse.
  if (m.payload.find("\"mime_type\"") == std::string::npos)
    return out;
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_object(m.payload, doc, error))
    return out;
  for (auto type : {"image", "audio", "video", "document", "voice",
                    "sticker"}) {
    auto obj = doc.FindMember(type);
    if (obj == doc.MemberEnd() || !obj->value.IsObject())
      continue;
    auto id = obj->value.FindMember("id");
    if (id != obj->value.MemberEnd() && id->value.IsString()
        && id->value.GetStringLength() > 0)
      out.emplace_back(as_view(id->value));
  }
  return out;
}

uint64_t inbound_media_gate::add(std::vector<inbound_message> xs,
                                 size_t fetches) {
  auto ticket = next_ticket_++;
  held_.push_back(held{ticket, fetches, std::move(xs)});
  return ticket;
}

std::vector<std::vector<inbound_message>>
inbound_media_gate::fetched(uint64_t ticket) {
  for (auto& h : held_)
    if (h.ticket == ticket && h.waiting > 0) {
      --h.waiting;
      break;
    }
  return release();
}

std::vector<std::vector<inbound_message>> inbound_media_gate::take_all() {
  std::vector<std::vector<inbound_message>> out;
  for (auto& h : held_)
    out.push_back(std::move(h.xs));
  held_.clear();
  return out;
}

std::vector<std::vector<inbound_message>> inbound_media_gate::release() {
  std::vector<std::vector<inbound_message>> out;
  while (!held_.empty() && held_.front().waiting == 0) {
    out.push_back(std::move(held_.front().xs));
    held_.pop_front();
  }
  return out;
}

} // namespace mc
