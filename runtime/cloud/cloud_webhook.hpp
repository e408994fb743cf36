#pragma once

/// What Meta POSTs to a Cloud API webhook, parsed into what this cluster
/// carries: statuses of the messages we sent and messages users sent us
/// (developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components and
/// .../webhooks/reference/messages). The body is
///   {"object":"whatsapp_business_account","entry":[{"id":<WABA id>,
///    "changes":[{"field":"messages","value":{"messaging_product":
///    "whatsapp","metadata":{"display_phone_number","phone_number_id"},
///    "contacts":[{"profile":{"name"},"wa_id","user_id"}],"messages":[...],
///    "statuses":[...]}}]}]}
/// Changes of other fields (template status, account updates) and members
/// we do not know are ignored.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

#include "actors/protocol/upstream.hpp"

namespace mc {

/// One statuses[] entry: sent, delivered, read or failed (other statuses
/// are skipped).
struct cloud_status {
  /// The message id the Cloud API gave at send (wamid).
  std::string wamid;
  /// recipient_id: the phone digits; empty when the message went to a
  /// BSUID and the number is not shared.
  std::string recipient;
  /// recipient_user_id: the recipient's BSUID, when given.
  std::string recipient_user_id;
  std::string status;
  int64_t timestamp = 0;
  /// For a failed status: the On-Prem code and title it is reported with
  /// (onprem_code_of(), runtime/cloud/cloud_send_answer.hpp), details
  /// naming the Cloud code, title and details, and the Cloud code.
  int32_t error_code = 0;
  std::string error_title;
  std::string error_details;
  int32_t cloud_error_code = 0;
  /// conversation.id, conversation.origin.type and
  /// conversation.expiration_timestamp when given (0 = none): the fields
  /// of status_event (runtime/callback_payload.hpp).
  std::string conversation_id;
  std::string conversation_origin;
  int64_t conversation_expiration = 0;
  /// metadata.phone_number_id of the change it came in.
  std::string phone_number_id;
};

/// One messages[] entry.
struct cloud_inbound {
  /// id (wamid), from (the phone digits, else the BSUID when the user
  /// hides the number), timestamp, the profile name of its contacts[]
  /// entry, and the payload in the On-Prem webhook shape less from, id and
  /// timestamp (runtime/inbound_payload.hpp accepts it). A media payload
  /// carries the Cloud media id: see media_id.
  inbound_message message;
  /// from_user_id (or the contact's user_id): the sender's BSUID, when
  /// given.
  std::string from_user_id;
  /// The Cloud id of the message's media (image, audio, voice, video,
  /// document, sticker), which the driver downloads; empty otherwise.
  std::string media_id;
  /// metadata.phone_number_id of the change it came in.
  std::string phone_number_id;
};

/// Everything one webhook body carries.
struct cloud_webhook_batch {
  /// The business number's id of the first change (a body normally holds
  /// changes of one number; each item names its own).
  std::string phone_number_id;
  std::vector<cloud_status> statuses;
  std::vector<cloud_inbound> messages;
};

/// Parses a webhook body; mc_errc::malformed_document when it is not JSON
/// or not a WhatsApp Business Account webhook ("object" is not
/// "whatsapp_business_account" or "entry" is not an array). Handles
/// several entries and changes; skips entries it cannot read. A message of
/// a type On-Prem does not know becomes type "unknown" with the On-Prem
/// error 501.
caf::expected<cloud_webhook_batch> parse_cloud_webhook(std::string_view body);

} // namespace mc
