#pragma once

/// A POST /{version}/{phone-number-id}/messages body of the Cloud API,
/// checked the way the reference describes: a send (to a phone number or a
/// BSUID) or a mark-as-read.

#include <string>
#include <string_view>
#include <variant>

#include "http/cloud_sim/cloud_graph_error.hpp"
#include "runtime/cloud/cloud_user_id.hpp"

namespace mc {

/// A message to send.
struct cloud_send {
  /// `to` (or `recipient`) exactly as given: the contacts[].input.
  std::string input;
  /// The wa_id (digits of `to`) or the BSUID.
  std::string recipient;
  bool by_user_id = false;
  std::string type;
  /// The media id of a media type's object, empty for a link or no media.
  std::string media_id;
  /// Template name and language code (type template).
  std::string template_name;
  std::string template_language;
  /// The message without its envelope (to, recipient, messaging_product,
  /// recipient_type, biz_opaque_callback_data), compact: what the user sees.
  std::string content_key;
};

/// A mark-as-read of an inbound message.
struct cloud_mark_read {
  std::string message_id;
};

using cloud_send_parse =
  std::variant<cloud_graph_error, cloud_send, cloud_mark_read>;

/// Parses and checks `body`.
cloud_send_parse parse_cloud_send(std::string_view body);

} // namespace mc
