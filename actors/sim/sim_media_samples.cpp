#include "actors/sim/sim_media_samples.hpp"

#include <cstdint>

#include "runtime/json_util.hpp"
#include "runtime/sha256.hpp"
#include "runtime/shard_hash.hpp"

namespace mc {

namespace {

/// The leading bytes of each type, as file(1) would recognize them.
std::string signature(const std::string& mime) {
  using namespace std::string_literals;
  if (mime == "image/jpeg")
    return "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"s;
  if (mime == "image/webp")
    return "RIFF\x00\x02\x00\x00WEBPVP8 "s;
  if (mime == "audio/mpeg")
    return "ID3\x03\x00\x00\x00\x00\x00\x00"s;
  if (mime == "video/mp4")
    return "\x00\x00\x00\x18" "ftypmp42"s;
  if (mime == "application/pdf")
    return "%PDF-1.4\n"s;
  if (mime.rfind("audio/ogg", 0) == 0)
    return "OggS\x00\x02"s;
  return {};
}

} // namespace

std::string sim_media_samples::mime_of(const std::string& type) {
  if (type == "image")
    return "image/jpeg";
  if (type == "audio")
    return "audio/mpeg";
  if (type == "video")
    return "video/mp4";
  if (type == "document")
    return "application/pdf";
  if (type == "voice")
    return "audio/ogg; codecs=opus";
  if (type == "sticker")
    return "image/webp";
  return {};
}

sim_sample_media sim_media_samples::make(const std::string& id,
                                         const std::string& mime) {
  sim_sample_media out;
  out.id = id;
  out.mime_type = mime;
  out.bytes = signature(mime);
  // A few hundred bytes drawn from the id: distinct per id, small enough
  // that random traffic costs little memory.
  auto state = recipient_hash(id);
  auto n = 256 + state % 256;
  out.bytes.reserve(out.bytes.size() + n);
  for (uint64_t i = 0; i < n; ++i) {
    // xorshift64: deterministic and cheap.
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    out.bytes.push_back(static_cast<char>(state & 0xff));
  }
  out.sha256 = sha256_hex(out.bytes);
  return out;
}

std::optional<sim_sample_media>
sim_media_samples::of_payload(std::string_view payload) {
  if (payload.find(id_prefix) == std::string_view::npos)
    return std::nullopt; // most inbound traffic: no JSON parse
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_object(payload, doc, error))
    return std::nullopt;
  auto t = doc.FindMember("type");
  if (t == doc.MemberEnd() || !t->value.IsString())
    return std::nullopt;
  std::string type{as_view(t->value)};
  auto mime = mime_of(type);
  auto m = doc.FindMember(type.c_str());
  if (mime.empty() || m == doc.MemberEnd() || !m->value.IsObject())
    return std::nullopt;
  auto id = m->value.FindMember("id");
  if (id == m->value.MemberEnd() || !id->value.IsString())
    return std::nullopt;
  auto sv = as_view(id->value);
  if (sv.rfind(id_prefix, 0) != 0)
    return std::nullopt;
  return make(std::string{sv}, mime);
}

} // namespace mc
