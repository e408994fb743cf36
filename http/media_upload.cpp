#include "http/media_upload.hpp"

#include <cstdint>
#include <stdexcept>

#include <openssl/rand.h>

namespace mc::http {

namespace {

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return std::string{s};
}

/// "5 MB", "100 KB".
std::string size_text(size_t bytes) {
  if (bytes % (1024 * 1024) == 0)
    return std::to_string(bytes / (1024 * 1024)) + " MB";
  return std::to_string(bytes / 1024) + " KB";
}

} // namespace

std::variant<media_upload, api_error>
check_media_upload(std::optional<std::string_view> content_type,
                   std::string_view body) {
  if (!content_type || trimmed(*content_type).empty())
    return make_api_error(codes::missing_parameter,
                          "the Content-Type header must name the media type");
  auto type = parse_mime_type(*content_type);
  if (!type)
    return make_api_error(codes::invalid_parameter,
                          "Content-Type '" + clip(*content_type)
                            + "' is not a valid MIME type");
  auto kind = upload_kind(*type);
  if (!kind)
    return make_api_error(codes::invalid_parameter,
                          "audio/ogg is supported with the opus codec only");
  if (body.empty())
    return make_api_error(codes::missing_parameter,
                          "the request body must hold the media bytes");
  auto limit = max_bytes(*kind, *kind == media_kind::sticker
                                  && is_animated_webp(body));
  if (body.size() > limit)
    return make_api_error(codes::invalid_parameter,
                          std::string{to_string(*kind)} + " media ("
                            + type->base + ") may have at most "
                            + size_text(limit) + ", got "
                            + std::to_string(body.size()) + " bytes",
                          413);
  return media_upload{trimmed(*content_type), *kind};
}

std::string media_response_json(const std::string& id) {
  return "{\"media\":[{\"id\":\"" + id + "\"}]," + meta_json_fields() + "}";
}

std::string new_media_id() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof(b)) != 1)
    throw std::runtime_error("RAND_bytes failed");
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40); // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80); // RFC 4122 variant
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      out.push_back('-');
    out.push_back(hex[b[i] >> 4]);
    out.push_back(hex[b[i] & 0x0f]);
  }
  return out;
}

} // namespace mc::http
