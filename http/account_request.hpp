#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "http/api_error.hpp"

namespace mc::http {

/// The body of POST /v1/account (registration) and POST /v1/account/shards.
struct account_request {
  std::string cc;
  std::string phone_number;
  /// "" when absent (only POST /v1/account/shards may omit it).
  std::string cert;
  std::optional<std::string> pin;
  /// "sms" or "voice": registration by a code sent that way.
  std::optional<std::string> method;
  /// Only for /v1/account/shards.
  int shards = 0;
};

/// Parses POST /v1/account: cc (1-3 digits), phone_number (digits), cert
/// (non-empty), optional method ("sms" or "voice") and pin (6 digits).
std::variant<account_request, api_error>
parse_register_body(std::string_view json);

/// Parses POST /v1/account/shards: cc, phone_number, shards (1, 2, 4, 8, 16
/// or 32), an optional cert (the route decides whether it is needed) and an
/// optional pin (null is absent).
std::variant<account_request, api_error>
parse_shards_body(std::string_view json);

} // namespace mc::http
