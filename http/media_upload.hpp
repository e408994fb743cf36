#pragma once

/// Validation of POST /v1/media: "the body of the request must contain the
/// binary media data and the Content-Type header must be set to the type of
/// the media being uploaded" (developers.facebook.com/docs/whatsapp/api/media).

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "http/api_error.hpp"
#include "runtime/media_kind.hpp"

namespace mc::http {

/// A valid upload: its Content-Type as given (trimmed; stored and answered
/// on GET) and the kind that type makes it.
struct media_upload {
  std::string mime_type;
  media_kind kind = media_kind::document;
};

/// Checks an upload. Never throws. Errors:
/// - no Content-Type, or an empty body: 1008;
/// - a malformed Content-Type, or audio/ogg with a codec other than opus:
///   1009;
/// - a body over its kind's limit (runtime/media_kind.hpp): 1009 with HTTP
///   413, naming the limit.
std::variant<media_upload, api_error>
check_media_upload(std::optional<std::string_view> content_type,
                   std::string_view body);

/// {"media":[{"id":"<id>"}],"meta":{...}}, the 201 response body.
std::string media_response_json(const std::string& id);

/// A new media id: a random UUID (version 4) from OpenSSL's CSPRNG, the
/// form of the reference's ids ("f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68").
std::string new_media_id();

} // namespace mc::http
