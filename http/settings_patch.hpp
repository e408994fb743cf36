#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "http/api_error.hpp"
#include "runtime/app_settings.hpp"

namespace mc::http {

/// Applies a PATCH body on `current` and returns the result. The body is an
/// object with any of: "webhooks": {"url", "max_concurrent_requests"},
/// "callback_persist", "callback_backoff_delay_ms",
/// "max_callback_backoff_delay_ms", "sent_status", "heartbeat_interval",
/// "unhealthy_interval". Absent fields keep their value. Numbers may be
/// JSON numbers or numeric strings (the On-Prem API documents "3000").
/// Errors name the field: 1009 for bad values and malformed JSON, 1010 for
/// unknown fields. Cross-field rules (max backoff >= backoff, unhealthy >
/// heartbeat) are checked on the result.
std::variant<app_settings, api_error>
apply_settings_patch(app_settings current, std::string_view patch_json);

/// {"settings":{"application":{...}},"meta":{...}} as GET returns it.
std::string settings_response_json(const app_settings& s);

} // namespace mc::http
