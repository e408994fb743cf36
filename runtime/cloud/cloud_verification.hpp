#pragma once

/// The verification request Meta sends when a webhook URL is set: GET with
/// hub.mode=subscribe, hub.verify_token (the token set in the app
/// dashboard) and hub.challenge, which the endpoint must echo with 200
/// (developers.facebook.com/docs/graph-api/webhooks/getting-started,
/// "Verification Requests").

#include <optional>
#include <string>
#include <string_view>

namespace mc {

/// The body to answer with (the challenge) when `mode` is "subscribe" and
/// `verify_token` equals `expected_token`, compared in constant time;
/// nullopt otherwise (answer 403), also when `expected_token` is empty, so
/// an unset token never verifies.
std::optional<std::string> answer_challenge(std::string_view mode,
                                            std::string_view verify_token,
                                            std::string_view challenge,
                                            std::string_view expected_token);

} // namespace mc
