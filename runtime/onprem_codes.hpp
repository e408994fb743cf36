#pragma once

#include <string_view>

namespace mc {

/// On-Prem API error codes. Titles and meanings follow the On-Premises API
/// reference ("Error and Status Messages", developers.facebook.com/docs/
/// whatsapp/api/errors; mirrored at whatsapp.turn.io/docs/api/errors).
namespace codes {
constexpr int generic = 1000;            ///< Generic error.
constexpr int message_too_long = 1001;   ///< Text longer than 4096 characters.
constexpr int invalid_recipient_type = 1002;
constexpr int not_group_participant = 1003;
constexpr int already_exists = 1004;     ///< Resource already exists.
constexpr int access_denied = 1005;
constexpr int not_found = 1006;
constexpr int recipient_blocked = 1007;
constexpr int missing_parameter = 1008;
constexpr int invalid_parameter = 1009;
constexpr int parameter_not_required = 1010; ///< Unknown/unexpected field.
constexpr int not_ready = 1011;
constexpr int group_unknown = 1012;
constexpr int invalid_user = 1013;
constexpr int internal = 1014;
constexpr int too_many_requests = 1015;
constexpr int overloaded = 1016;
constexpr int not_primary_master = 1017;
constexpr int not_owner = 1018;          ///< Not Primary Coreapp: shard not served here right now.
constexpr int bad_user = 1021;
constexpr int webhook_not_set = 1022;
constexpr int database_error = 1023;
constexpr int invalid_request = 1025;
constexpr int receiver_incapable = 1026;
constexpr int account_locked = 1031;   ///< Too many failed logins.
/// Codes of a failed message status ("Error and Status Messages").
/// Over 24 hours since the user last wrote (re-engagement).
constexpr int reengagement = 470;
/// The template's parameter count does not match.
constexpr int template_param_count = 2000;
/// No such template (name, language).
constexpr int template_missing = 2001;
} // namespace codes

/// The On-Prem title of `code` ("Parameter value is not valid" for 1009);
/// "Generic error" for codes we do not know.
std::string_view error_title(int code);

} // namespace mc
