#pragma once

/// The media kinds of the On-Prem API and what each accepts: MIME types and
/// size limits after upload ("Supported Content-Types" and "Post-Processing
/// Media Size", developers.facebook.com/docs/whatsapp/api/media), and the
/// media id a message of that kind refers to.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mc {

/// The message types that carry media.
enum class media_kind { audio, document, image, sticker, video };

/// "audio", "document", "image", "sticker", "video".
const char* to_string(media_kind k);

/// The kind named `type` (a message's "type"); nullopt for other types
/// ("text", "template", ...).
std::optional<media_kind> media_kind_named(std::string_view type);

/// Largest body POST /v1/media accepts at all: "the maximum file size for
/// the media node is 100MB" (developers.facebook.com/docs/whatsapp/api/media).
constexpr size_t max_media_bytes = 100u * 1024 * 1024;

/// A Content-Type split into its lowercase base type ("audio/ogg") and the
/// lowercase value of its `codecs` parameter ("opus"; empty when absent).
struct mime_type {
  std::string base;
  std::string codecs;
};

/// Parses a Content-Type header value; nullopt unless it is
/// `type "/" subtype *(";" parameter)` with RFC 7230 tokens.
std::optional<mime_type> parse_mime_type(std::string_view content_type);

/// The kind an uploaded media of type `t` is, as the reference lists them:
///   audio    audio/aac, audio/mp4, audio/amr, audio/mpeg, audio/ogg (opus
///            only: a codecs parameter other than opus is refused)
///   image    image/jpeg, image/png
///   sticker  image/webp
///   video    video/mp4, video/3gpp
///   document any other valid MIME type
/// nullopt for audio/ogg with a codec other than opus.
std::optional<media_kind> upload_kind(const mime_type& t);

/// Largest media of kind `k` after upload: image 5 MB, audio and video
/// 16 MB, document 100 MB, sticker 100 KB static and 500 KB animated.
size_t max_bytes(media_kind k, bool animated_sticker);

/// Whether WebP `bytes` are animated (a VP8X chunk with the animation flag),
/// which raises a sticker's limit from 100 KB to 500 KB.
bool is_animated_webp(std::string_view bytes);

/// Whether a message of kind `message` may send a media uploaded as kind
/// `uploaded`: equal kinds, and a document may be any media.
bool media_fits(media_kind message, media_kind uploaded);

/// A message's reference to an uploaded media: {"type":"image","image":
/// {"id":"..."}}.
struct media_ref {
  media_kind kind = media_kind::image;
  std::string id;
};

/// The media id a message document refers to; nullopt when the message is
/// not a media message, or its media is given by "link" and not by "id", or
/// the document is not a JSON object. Cheap for text: no JSON is parsed
/// unless the document contains "id".
std::optional<media_ref> media_ref_of(std::string_view message_json);

} // namespace mc
