#pragma once

/// The body of the simulator's POST /inbound: one message a user writes to
/// the business, injected by a test or an operator.

#include <string>
#include <string_view>
#include <variant>

#include "actors/protocol/upstream.hpp"

namespace mc {

/// An injected inbound message and the account it is for.
struct sim_inbound_request {
  std::string account;
  inbound_message msg;
};

/// Parses {"account","from"[,"id"][,"name"]} plus exactly one of
/// "body" (a text message), "type" (the simulator's sample of that type,
/// actors/sim/sim_inbound_samples.hpp) or "message" (the message object
/// itself, checked by runtime/inbound_payload.hpp). "name" is the sender's
/// profile name (default: the simulator's name for `from`). Returns the
/// request or why it is refused.
std::variant<sim_inbound_request, std::string>
parse_sim_inbound(std::string_view body);

} // namespace mc
