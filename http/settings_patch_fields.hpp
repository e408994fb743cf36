#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "http/api_error.hpp"
#include "runtime/app_settings.hpp"
#include "runtime/json_util.hpp"

namespace mc::http {

// The application settings the On-Prem reference documents beyond those
// the cluster acts on (developers.facebook.com/docs/whatsapp/api/settings/app;
// developers.secure.facebook.com/docs/whatsapp/on-premises/reference/settings/app):
// validated as documented, stored and returned, never refused. Kept apart
// from settings_patch.cpp, which holds the fields that change behaviour.

/// 1009 with `details`: the value of a settings field is not valid.
api_error invalid_setting(std::string details);

/// 1010 for a field `name` the reference does not document.
api_error unknown_setting(std::string_view name);

/// Sets `out` from the boolean `v` of the field `name` (1009 otherwise).
std::optional<api_error> apply_bool_setting(bool& out, std::string_view name,
                                            const rapidjson::Value& v);

/// True when `name` is a top-level field handled here.
bool is_documented_field(std::string_view name);

/// Applies the top-level field `name` (is_documented_field) to `s`: 1009
/// for a bad value, 1010 for an unknown member of a nested object.
std::optional<api_error> apply_documented_field(app_settings& s,
                                                std::string_view name,
                                                const rapidjson::Value& v);

/// Applies webhooks.message {sent, delivered, read} (booleans).
std::optional<api_error> apply_message_toggles(app_settings& s,
                                               const rapidjson::Value& v);

/// Writes the fields handled here into the "application" object.
void write_documented_fields(json_writer& w, const app_settings& s);

} // namespace mc::http
