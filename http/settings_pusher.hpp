#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "http/webapp_context.hpp"

namespace mc::http {

/// Hands the stored settings `json` to every coreapp node of the routing
/// table (actors/protocol/settings_push.hpp) and waits for their acks, all
/// within `deadline`. Returns how many did not ack in time; those pick the
/// change up by their settings poll.
size_t push_settings(webapp_context& ctx, const std::string& json,
                     std::chrono::milliseconds deadline);

} // namespace mc::http
