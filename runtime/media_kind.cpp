#include "runtime/media_kind.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "runtime/json_util.hpp"

namespace mc {

namespace {

struct kind_name {
  media_kind kind;
  std::string_view name;
};

constexpr std::array<kind_name, 5> kind_names{{
  {media_kind::audio, "audio"},
  {media_kind::document, "document"},
  {media_kind::image, "image"},
  {media_kind::sticker, "sticker"},
  {media_kind::video, "video"},
}};

/// RFC 7230 tchar.
bool is_token_char(char c) {
  if (std::isalnum(static_cast<unsigned char>(c)))
    return true;
  return std::string_view{"!#$%&'*+-.^_`|~"}.find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_token_char);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

constexpr size_t kib = 1024;
constexpr size_t mib = 1024 * kib;

} // namespace

const char* to_string(media_kind k) {
  for (auto& kn : kind_names)
    if (kn.kind == k)
      return kn.name.data();
  return "document";
}

std::optional<media_kind> media_kind_named(std::string_view type) {
  for (auto& kn : kind_names)
    if (kn.name == type)
      return kn.kind;
  return std::nullopt;
}

std::optional<mime_type> parse_mime_type(std::string_view content_type) {
  auto semi = content_type.find(';');
  auto base = trim(content_type.substr(0, semi));
  auto slash = base.find('/');
  if (slash == std::string_view::npos || !is_token(base.substr(0, slash))
      || !is_token(base.substr(slash + 1)))
    return std::nullopt;
  mime_type out{lower(base), {}};
  while (semi != std::string_view::npos) {
    auto rest = content_type.substr(semi + 1);
    semi = rest.find(';');
    auto param = trim(rest.substr(0, semi));
    auto eq = param.find('=');
    if (eq == std::string_view::npos || !is_token(trim(param.substr(0, eq))))
      return std::nullopt;
    auto value = trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    if (lower(trim(param.substr(0, eq))) == "codecs")
      out.codecs = lower(value);
  }
  return out;
}

std::optional<media_kind> upload_kind(const mime_type& t) {
  const auto& b = t.base;
  if (b == "audio/ogg")
    return t.codecs.empty() || t.codecs == "opus"
             ? std::optional<media_kind>{media_kind::audio}
             : std::nullopt;
  if (b == "audio/aac" || b == "audio/mp4" || b == "audio/amr"
      || b == "audio/mpeg")
    return media_kind::audio;
  if (b == "image/jpeg" || b == "image/png")
    return media_kind::image;
  if (b == "image/webp")
    return media_kind::sticker;
  if (b == "video/mp4" || b == "video/3gpp")
    return media_kind::video;
  return media_kind::document;
}

size_t max_bytes(media_kind k, bool animated_sticker) {
  switch (k) {
    case media_kind::image:
      return 5 * mib;
    case media_kind::audio:
    case media_kind::video:
      return 16 * mib;
    case media_kind::sticker:
      return animated_sticker ? 500 * kib : 100 * kib;
    case media_kind::document:
      return 100 * mib;
  }
  return 100 * mib;
}

bool is_animated_webp(std::string_view bytes) {
  // RIFF <size> WEBP VP8X <chunk size> <flags>; flag bit 1 is animation
  // (developers.google.com/speed/webp/docs/riff_container).
  if (bytes.size() < 21 || bytes.substr(0, 4) != "RIFF"
      || bytes.substr(8, 4) != "WEBP" || bytes.substr(12, 4) != "VP8X")
    return false;
  return (static_cast<unsigned char>(bytes[20]) & 0x02) != 0;
}

bool media_fits(media_kind message, media_kind uploaded) {
  return message == uploaded || message == media_kind::document;
}

std::optional<media_ref> media_ref_of(std::string_view message_json) {
  if (message_json.find("\"id\"") == std::string_view::npos)
    return std::nullopt;
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_object(message_json, doc, error))
    return std::nullopt;
  auto type = doc.FindMember("type");
  if (type == doc.MemberEnd() || !type->value.IsString())
    return std::nullopt;
  auto kind = media_kind_named(as_view(type->value));
  if (!kind)
    return std::nullopt;
  auto obj = doc.FindMember(to_string(*kind));
  if (obj == doc.MemberEnd() || !obj->value.IsObject())
    return std::nullopt;
  auto id = obj->value.FindMember("id");
  if (id == obj->value.MemberEnd() || !id->value.IsString())
    return std::nullopt;
  return media_ref{*kind, std::string{as_view(id->value)}};
}

} // namespace mc
