#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mc {

/// A message status change to report to the webhook.
struct status_event {
  std::string id;           ///< The message id returned by POST /v1/messages.
  std::string recipient_id; ///< The recipient's digits.
  std::string status;       ///< sent, delivered, read or failed.
  int64_t timestamp = 0;    ///< Unix seconds.
  /// For "failed" only: the On-Prem error reported with the status (0 = none).
  int error_code = 0;
  std::string error_title{};
  /// The conversation the message is billed in, for sent and delivered
  /// (the reference's read statuses carry none); empty id = none.
  std::string conversation_id{};
  /// Who opened it: business_initiated, user_initiated or
  /// referral_conversion; also the pricing category.
  std::string conversation_origin{};
  /// When the conversation ends, unix seconds; the reference reports it
  /// with the sent status only (0 = left out).
  int64_t conversation_expiration = 0;
  /// The recipient's business-scoped user id (BSUID) when the Cloud API
  /// gave one; reported as "recipient_user_id", the Cloud name (empty =
  /// left out, the On-Prem shape unchanged).
  std::string recipient_user_id{};
};

/// A message received from a user.
struct inbound_event {
  std::string id;
  std::string from; ///< The sender's digits (its wa_id).
  /// The message object less from, id and timestamp (runtime/
  /// inbound_payload.hpp); one that is not a carried type is reported as
  /// type "unknown" with the reference's error 501.
  std::string payload;
  int64_t timestamp = 0; ///< Unix seconds.
  /// The sender's profile name; the webhook uses `from` when empty.
  std::string profile_name{};
  /// The sender's business-scoped user id (BSUID) when the Cloud API gave
  /// one; reported as the message's "from_user_id" and its contact's
  /// "user_id", the Cloud names (empty = left out, the On-Prem shape
  /// unchanged).
  std::string user_id{};
};

/// One JSON object per event, the form kept in the callbacks table (kind
/// "status"), e.g. {"id":...,"recipient_id":...,"status":...,"timestamp":N,
/// "conversation":{...},"pricing":{...}}; conversation and pricing are
/// stored in their webhook shape.
std::string status_event_json(const status_event& e);

/// Same for an inbound message (kind "message"):
/// {"id","from","timestamp","profile_name"?,"message":{payload}}.
std::string inbound_event_json(const inbound_event& e);

/// Builds one webhook POST body in the On-Prem shape from stored event
/// JSONs (developers.facebook.com/docs/whatsapp/api/webhooks/outbound and
/// .../webhooks/inbound): {"statuses":[{"id","recipient_id","status",
/// "timestamp","conversation"?,"pricing"?,"errors"?}]} and/or
/// {"contacts":[{"profile":{"name"},"wa_id"}],"messages":[{"from","id",
/// "timestamp","type",<the type's object>,"context"?...}]}, timestamps as
/// strings of unix seconds, one contact per distinct sender (none for a
/// system message, as in the reference). Keys with no events are left out;
/// "{}" when both lists are empty. A stored JSON that cannot be read (only
/// possible if the table was corrupted) is skipped rather than blocking
/// every later callback.
std::string webhook_body(const std::vector<std::string>& status_jsons,
                         const std::vector<std::string>& message_jsons);

} // namespace mc
