#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mc::http {

/// Standard base64 (RFC 4648 section 4) with '=' padding.
std::string base64_encode(std::string_view bytes);

/// URL-safe base64 (RFC 4648 section 5) without padding.
std::string base64url_encode(std::string_view bytes);

/// Decodes standard base64; padding required when the length needs it.
/// nullopt on any character outside the alphabet or a bad length.
std::optional<std::string> base64_decode(std::string_view text);

/// Decodes unpadded URL-safe base64; nullopt on bad input.
std::optional<std::string> base64url_decode(std::string_view text);

} // namespace mc::http
