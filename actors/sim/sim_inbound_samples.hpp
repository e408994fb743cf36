#pragma once

/// Inbound messages of every carried type as the simulated users send
/// them, shaped after the examples of the On-Prem reference
/// (developers.facebook.com/docs/whatsapp/api/webhooks/inbound): the
/// payloads of runtime/inbound_payload.hpp.

#include <cstdint>
#include <string>
#include <vector>

namespace mc {

/// A plain object: makes the n-th sample of a type, the same for the same n.
class sim_inbound_samples {
public:
  /// The types the random inbound traffic mixes: every carried type, text
  /// the most often; "interactive" alternates list and button replies.
  static const std::vector<std::string>& mix();

  /// The payload of sample `n` of `type` sent by `from`; an empty string
  /// if `type` is not one of inbound_types().
  static std::string payload(const std::string& type, uint64_t n,
                             const std::string& from);

  /// The profile name of simulated user `from`.
  static std::string profile_name(const std::string& from);
};

} // namespace mc
