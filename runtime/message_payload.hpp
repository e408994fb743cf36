#pragma once

/// The stored and transmitted form of a message: its On-Prem message
/// document (every member of the POST /v1/messages request but `to`) as
/// compact JSON text, with `type` as its first member.

#include <string>
#include <string_view>

namespace mc {

/// {"type":"text","text":{"body":<body>}}: the document of a plain text
/// message, and how a row stored before payloads existed is read.
std::string text_payload(std::string_view body);

} // namespace mc
