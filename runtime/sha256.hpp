#pragma once

#include <string>
#include <string_view>

namespace mc {

/// The SHA-256 of `bytes` as 64 lowercase hex digits (OpenSSL). What the
/// media store records and what the upstream checks an upload against.
std::string sha256_hex(std::string_view bytes);

} // namespace mc
