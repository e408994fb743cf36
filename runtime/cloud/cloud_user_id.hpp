#pragma once

/// The two ways the Cloud API names a user: the phone number (its digits,
/// the On-Prem wa_id) and, from 2026, the business-scoped user id (BSUID)
/// of a user who may hide the number behind a username
/// (developers.facebook.com/documentation/business-messaging/whatsapp/
/// business-scoped-user-ids).

#include <string>
#include <string_view>

namespace mc {

/// Longest BSUID we accept. The reference fixes no length; its examples
/// have 15 to 20 characters after the country code. The cap only keeps an
/// absurd key out of routing and storage.
constexpr size_t max_bsuid_chars = 128;

/// True when `id` is a BSUID as the reference documents it: a two-letter
/// ISO 3166 country code in upper case, a period and an alphanumeric
/// string ("US.13491208655302741918"); a parent BSUID (shared by the
/// businesses of one portfolio) has "ENT." between the two
/// ("US.ENT.11815799212886844830"). Both are accepted where a recipient
/// is. At most max_bsuid_chars characters. A phone number never matches:
/// it has no letters before a period.
bool is_bsuid(std::string_view id);

/// The key a user is routed by: the digits of `phone_or_empty` when it has
/// any (so a user keeps the shard of its number when it also has a BSUID),
/// else `bsuid_or_empty` as it is; empty when neither is given. shard_of()
/// (runtime/shard_hash.hpp) is applied to that key.
std::string routing_key(std::string_view phone_or_empty,
                        std::string_view bsuid_or_empty);

} // namespace mc
