#pragma once

#include <string>
#include <string_view>

#include "runtime/json_util.hpp"
#include "runtime/onprem_codes.hpp"

namespace mc::http {

// The code table is shared with the webhook format of failed statuses.
namespace codes = ::mc::codes;
using ::mc::error_title;

/// One On-Prem error: the HTTP status to answer with and the body fields.
struct api_error {
  int http_status;
  int code;
  std::string title;
  std::string details;
};


/// The HTTP status that goes with `code` (400 for client errors, 401 for
/// access denied, 503 for not ready/overloaded/not owner...).
int error_http_status(int code);

/// Builds an error with the On-Prem title and the HTTP status that goes with
/// `code`.
api_error make_api_error(int code, std::string details);

/// Same, with an explicit HTTP status (e.g. 403 for 1005 on admin-only
/// routes when the caller is authenticated but not an admin).
api_error make_api_error(int code, std::string details, int http_status);

/// {"errors":[{"code":1009,"title":"...","details":"..."}],"meta":{...}}.
/// Always valid JSON: ill-formed UTF-8 in the fields is replaced.
std::string to_json(const api_error& e);

/// The API version reported in every "meta" block.
constexpr const char* api_version = MC_VERSION;

/// The member `"meta":{"api_status":"stable","version":"<MC_VERSION>"}`,
/// ready to be spliced into a JSON object.
const std::string& meta_json_fields();

/// Writes the "meta" member into the object `w` is currently writing.
void write_meta(json_writer& w);

/// {"meta":{...}}: the body of a successful request that returns no data.
std::string ok_json();

} // namespace mc::http
