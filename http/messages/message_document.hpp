#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace mc::http {

/// Writes the stored and transmitted form of a validated send request: the
/// request object without `to`, compact, with `type` first (filled in when
/// the request left it out) and every other member in request order, so
/// equal requests give equal bytes (runtime/message_payload.hpp).
class message_document {
public:
  /// The document of `request` (an object) whose type is `type`.
  static std::string of(const rapidjson::Value& request,
                        std::string_view type);
};

} // namespace mc::http
