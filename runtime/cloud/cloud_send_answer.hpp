#pragma once

/// What the Cloud API answers to a send (POST /{phone-number-id}/messages),
/// a read receipt (the same call with "status":"read") or a media call:
/// success {"messaging_product":"whatsapp","contacts":[...],"messages":
/// [{"id":"wamid..."}]} (media upload: {"id":"..."}), failure the Graph
/// API error object {"error":{"message","type","code","error_data":
/// {"messaging_product","details"},"error_subcode","fbtrace_id"}}
/// (developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
/// and .../reference/messages). Classified so the driver knows whether to
/// slow down, retry, renew its token or fail the message.

#include <cstdint>
#include <string>
#include <string_view>

namespace mc {

/// What the driver does with an answer.
enum class cloud_error_class {
  /// Success.
  none,
  /// Too many calls for the number or the app (130429, 80007, 4, HTTP
  /// 429): slow down, then send again.
  throughput,
  /// Too many messages to this one user (131056): hold this recipient's
  /// messages for a while, send the others.
  pair_limit,
  /// The access token is invalid or expired (190, 0, HTTP 401): renew it;
  /// sending again with the same token cannot help.
  token,
  /// A failure that may pass (network error, HTTP 5xx, 1, 2, 131000,
  /// 131016, 131057, 133004): send again later.
  transient,
  /// Everything else: the message fails, reported to the webhook with
  /// onprem_code.
  permanent,
};

/// "none", "throughput", ... for logs.
const char* to_string(cloud_error_class kind);

/// One answer, parsed.
struct cloud_answer {
  cloud_error_class kind = cloud_error_class::none;
  /// messages[0].id on success of a send.
  std::string wamid;
  /// The top-level "id" of a media upload's success.
  std::string media_id;
  /// The Cloud error as received: error.code, error.message and
  /// error.error_data.details (0 and empty on success; 0 for a network
  /// error or an answer without an error object).
  int32_t cloud_code = 0;
  std::string cloud_title;
  std::string cloud_details;
  /// For a permanent error: the On-Prem code and title a failed status
  /// reports (runtime/onprem_codes.hpp), and details naming the Cloud code
  /// and message ("Cloud API error 131047: Re-engagement message (...)").
  int32_t onprem_code = 0;
  std::string onprem_title;
  std::string onprem_details;
};

/// Parses the answer of HTTP status `http_status` (0: the call failed
/// before an answer, a network error) with `body`. A body that is not JSON
/// is classified by the HTTP status alone.
cloud_answer parse_cloud_answer(int http_status, std::string_view body);

/// The On-Prem code a permanent Cloud error `cloud_code` is reported as:
/// the table's entry, else codes::generic.
int32_t onprem_code_of(int32_t cloud_code);

} // namespace mc
