#pragma once

/// The message object of an inbound message, as carried from the upstream
/// to the webhook: the On-Prem "messages[]" entry less from, id and
/// timestamp (developers.facebook.com/docs/whatsapp/api/webhooks/inbound).
/// E.g. {"type":"image","image":{"id","mime_type","sha256","caption"}},
/// {"type":"interactive","interactive":{"type":"list_reply","list_reply":
/// {...}},"context":{"from","id"}} or {"type":"unknown","errors":[...]}.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// text_payload(), the text message object, is shared with the messages
// sent (runtime/message_payload.hpp).
#include "runtime/message_payload.hpp"

namespace mc {

/// The inbound message types of the On-Prem reference that this cluster
/// carries: text, image, audio, video, document, voice, sticker, location,
/// contacts, interactive, button, reaction, system and unknown.
const std::vector<std::string>& inbound_types();

/// The type of `payload` if it is a message object this cluster carries:
/// a JSON object whose "type" is one of inbound_types() and that holds the
/// object named by its type ("errors" for unknown); nullopt otherwise.
std::optional<std::string> inbound_type(std::string_view payload);

} // namespace mc
