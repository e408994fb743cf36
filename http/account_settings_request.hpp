#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "http/api_error.hpp"

namespace mc::http {

// Bodies of the account settings routes, parsed as pure functions. Missing
// fields give 1008, bad values 1009, unknown fields 1010, as everywhere.

/// POST /v1/settings/account/two-step {"pin": "123456"}: a 6-digit PIN
/// (developers.facebook.com/docs/whatsapp/api/settings/two-step).
std::variant<std::string, api_error> parse_pin_body(std::string_view json);

/// PUT /v1/users/{username} {"password": "..."}: the new password, which
/// must pass the login policy
/// (developers.facebook.com/docs/whatsapp/api/users).
std::variant<std::string, api_error>
parse_password_update_body(std::string_view json);

/// POST /v1/account/verify {"code": "123456"}: the registration code, 6
/// digits, also as "123-456"; returned as 6 digits
/// (developers.facebook.com/docs/whatsapp/api/account/verify).
std::variant<std::string, api_error> parse_verify_body(std::string_view json);

/// Most characters of the profile "about" text.
constexpr size_t max_about_chars = 139;

/// PATCH /v1/settings/profile/about {"text": "..."}: 1 to 139 characters
/// (developers.facebook.com/docs/whatsapp/api/settings/profile/about).
std::variant<std::string, api_error> parse_about_body(std::string_view json);

/// Largest profile photo accepted, in bytes.
constexpr size_t max_photo_bytes = 5 * 1024 * 1024;

/// The MIME type of a profile photo (image/jpeg or image/png, read from its
/// first bytes), or the error: 1008 for no body, 1009 for another format or
/// more than 5 MB
/// (developers.facebook.com/docs/whatsapp/api/settings/profile/photo).
std::variant<std::string, api_error> photo_type(std::string_view bytes);

/// POST /v1/settings/business/profile: merges the body's address,
/// description (at most 256 characters each), email (at most 128, one '@'),
/// vertical (one of the reference's list or "") and websites (at most 2
/// http(s) URLs of at most 256 characters) into `stored_json` and returns
/// the new stored object
/// (developers.facebook.com/docs/whatsapp/api/settings/business/profile).
std::variant<std::string, api_error>
merge_business_profile(std::string_view stored_json, std::string_view json);

/// {"settings":{"business":{"profile":{...}}},"meta":{...}} with every
/// field (empty when unset) from the stored object.
std::string business_profile_response_json(std::string_view stored_json);

} // namespace mc::http
