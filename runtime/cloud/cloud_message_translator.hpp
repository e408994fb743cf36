#pragma once

/// Translates a message document of the On-Prem API (as accepted by
/// POST /v1/messages and stored, runtime/message_payload.hpp) into the body
/// of the Cloud API's send call, POST /{phone-number-id}/messages
/// (developers.facebook.com/docs/whatsapp/cloud-api/reference/messages).
/// The two shapes mostly agree; the translation does what differs:
///   - "messaging_product":"whatsapp" is added; the recipient goes to "to"
///     (phone digits) or, for a business-scoped user id, to "recipient"
///     (.../business-scoped-user-ids);
///   - "preview_url" moves from the top level into "text";
///   - "hsm" becomes a "template" (element_name -> name,
///     localizable_params -> body parameters, each "default" the
///     fallback);
///   - a template loses "namespace" and "language.policy", a date_time
///     parameter keeps only its fallback_value (the Cloud API never
///     localises it), a button index becomes a string as in the Cloud
///     examples;
///   - media given by id (the message's own, an interactive header's, a
///     template parameter's) gets the id the Cloud API gave at upload;
///     media given by link is kept;
///   - "ttl" is dropped: the Cloud API has no per-message time to live.
/// Everything else (context, recipient_type, location, contacts,
/// interactive, reaction) is carried as it is.

#include <map>
#include <string>
#include <vector>

#include <caf/expected.hpp>

namespace mc {

/// Media ids our store gave -> ids the Cloud API gave at upload.
using cloud_media_ids = std::map<std::string, std::string>;

/// The JSON body of a send call.
struct cloud_send_body {
  std::string json;
};

/// The body, or why there is none (mc_errc, actors/protocol/errors.hpp):
/// malformed_document when the payload is not a JSON object with a known
/// "type" and its object, unsupported_message for a type with no Cloud
/// form, media_unknown (context: the id) when a media id is missing from
/// the map.
using expected_body = caf::expected<cloud_send_body>;

/// The translation, as a plain object without state.
class cloud_message_translator {
public:
  /// Builds the body of POST /{phone-number-id}/messages for the accepted
  /// On-Prem message document `payload` to `recipient` (digits of a phone
  /// number, or a BSUID), with the Cloud ids of its media in `media`.
  static expected_body translate(const std::string& payload,
                                 const std::string& recipient,
                                 const cloud_media_ids& media);

  /// Media ids (ours) a payload refers to, each once, in the order they
  /// appear, so the driver can upload them first: the message's own, an
  /// interactive header's and template parameters'. Empty for a payload
  /// that is not a JSON object.
  static std::vector<std::string> media_ids_of(const std::string& payload);
};

} // namespace mc
