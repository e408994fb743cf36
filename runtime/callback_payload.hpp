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
};

/// A text message received from a user.
struct inbound_event {
  std::string id;
  std::string from; ///< The sender's digits (its wa_id).
  std::string body;
  int64_t timestamp = 0; ///< Unix seconds.
  /// The sender's profile name; the webhook uses `from` when empty.
  std::string profile_name{};
};

/// One JSON object per event, the form kept in the callbacks table (kind
/// "status"), e.g. {"id":...,"recipient_id":...,"status":...,"timestamp":N}.
std::string status_event_json(const status_event& e);

/// Same for an inbound message (kind "message").
std::string inbound_event_json(const inbound_event& e);

/// Builds one webhook POST body in the On-Prem shape from stored event
/// JSONs: {"statuses":[{"id","recipient_id","status","timestamp"}]} and/or
/// {"contacts":[{"profile":{"name"},"wa_id"}],"messages":[{"from","id",
/// "timestamp","text":{"body"},"type":"text"}]}, timestamps as strings of
/// unix seconds, one contact per distinct sender. Keys with no events are
/// left out; "{}" when both lists are empty. A stored JSON that cannot be
/// read (only possible if the table was corrupted) is skipped rather than
/// blocking every later callback.
std::string webhook_body(const std::vector<std::string>& status_jsons,
                         const std::vector<std::string>& message_jsons);

} // namespace mc
