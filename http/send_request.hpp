#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "http/api_error.hpp"

namespace mc::http {

/// A validated POST /v1/messages request, of any On-Prem message type.
struct send_request {
  /// The recipient, normalised to its digits ("+1 631-555-0000" becomes
  /// "16315550000"), so that routing and ordering see one form.
  std::string to;
  /// The message type ("text" when the request named none).
  std::string type = "text";
  /// The message document as stored and sent upstream: every member of the
  /// request but `to` (http/messages/message_document.hpp).
  std::string payload;
};

/// Most code points a text body may have (On-Prem error 1001 beyond this).
constexpr size_t max_body_chars = 4096;

/// Most digits a recipient may have.
constexpr size_t max_recipient_digits = 20;

/// Largest request body accepted here, whatever the server's own cap: a
/// maximal body written entirely as \uXXXX surrogate pairs is ~49 KiB.
constexpr size_t max_send_request_bytes = 256 * 1024;

/// Parses and validates a POST /v1/messages body. Never throws, never
/// crashes on any byte sequence. Errors carry a precise reason:
/// - malformed JSON, non-object root, wrong types, bad values: 1009
///   ("invalid JSON at offset N: ...", "to must be a string", ...);
/// - missing to, the type's object or a required member: 1008
///   ("text.body is missing");
/// - unknown fields: 1010 "unknown field 'foo'" (On-Prem "Parameter is not
///   required");
/// - recipient_type other than "individual": 1002 (On-Prem "Invalid
///   recipient type");
/// - a type that is not one of the reference's (text, template, hsm, image,
///   audio, video, document, sticker, location, contacts, interactive,
///   reaction): 1009 "type 'foo' is not supported";
/// - each type's own rules (http/messages/message_types.hpp), e.g. a text
///   body over 4096 code points: 1001 (On-Prem "Message too long").
/// The payload of an accepted request is its message document
/// (http/messages/message_document.hpp).
std::variant<send_request, api_error> parse_send_request(std::string_view json);

/// {"messages":[{"id":"<id>"}],"meta":{...}}, the 201 response body.
std::string send_response_json(const std::string& id);

/// A new message id: 27 URL-safe characters encoding 160 random bits from
/// OpenSSL's CSPRNG, so ids never collide across nodes. Thread-safe.
std::string new_message_id();

} // namespace mc::http
