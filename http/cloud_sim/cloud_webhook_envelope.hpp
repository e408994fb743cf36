#pragma once

/// The Cloud webhook envelope of a batch of events and its signature:
/// {"object":"whatsapp_business_account","entry":[{"id":<WABA>,"changes":
/// [{"value":{"messaging_product","metadata":{"display_phone_number",
/// "phone_number_id"},"contacts"?,"messages"|"statuses"},"field":
/// "messages"}]}]}, signed X-Hub-Signature-256: sha256=<hex HMAC>.

#include <string>
#include <vector>

#include "http/cloud_sim/cloud_sim_config.hpp"

namespace mc {

/// One webhook event: a status object, or a message object with its
/// contacts[] entry (JSON texts).
struct cloud_webhook_event {
  bool is_message = false;
  std::string object;
  std::string contact;
};

/// Writes envelopes for one business number.
class cloud_webhook_envelope {
public:
  explicit cloud_webhook_envelope(const cloud_sim_config& cfg);

  /// The envelope of `events` (all of one kind: messages or statuses).
  std::string body(const std::vector<cloud_webhook_event>& events) const;

  /// "sha256=" and the hex HMAC-SHA256 of `body` under `secret`.
  static std::string signature(const std::string& secret,
                               const std::string& body);

private:
  std::string waba_id_;
  std::string display_phone_number_;
  std::string phone_number_id_;
};

} // namespace mc
