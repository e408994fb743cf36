#pragma once

#include <string_view>
#include <variant>

#include "http/api_error.hpp"

namespace mc::http {

/// A valid body of PUT /v1/messages/{id}.
struct read_request {};

/// Parses {"status":"read"} (developers.facebook.com/docs/whatsapp/
/// on-premises/guides/mark-as-read: "Updating status to read is applicable
/// only for incoming messages"): a missing status is 1008, any other value
/// 1009, another member 1010.
std::variant<read_request, api_error> parse_read_request(std::string_view body);

} // namespace mc::http
