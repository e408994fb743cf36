#pragma once

/// The client's idempotency key of POST /v1/messages: header
/// `X-Idempotency-Key`. A send whose outcome the cluster could not know
/// (error 1011 "outcome unknown", see http/message_routes.cpp) may be
/// retried with the same key and body: the message id is derived from the
/// key, and the insert is idempotent on the id, so the retry answers with
/// the same id and nothing is sent twice. Without the header every send
/// gets a fresh random id.
///
/// A key names one message: a second send with the same key and another
/// body answers with the first message's id and sends nothing new.

#include <string>
#include <variant>

#include "http/api_error.hpp"

namespace mc::http {

/// The header's name.
inline constexpr const char* idempotency_header = "X-Idempotency-Key";

/// The longest key accepted (characters).
inline constexpr size_t max_idempotency_key = 128;

/// The message id for a send: derived from `key` when given (1 to
/// `max_idempotency_key` printable ASCII characters; else 1009), a fresh
/// random one when `key` is empty. Both are 27 URL-safe characters.
std::variant<std::string, api_error>
message_id_for_key(const std::string& key);

} // namespace mc::http
