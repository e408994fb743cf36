#pragma once

// Helpers of the per-type send request tests: a request is parsed whole,
// as the route does, so each test checks the validator through the one
// entry point.

#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "http/send_request.hpp"

namespace mc::http::test {

/// {"to":"16315550000","type":<type>,<type>:<object>} plus `extra` members.
inline std::string request(std::string_view type, std::string_view object,
                           std::string_view extra = "") {
  std::string out = R"({"to":"16315550000","type":")";
  out += type;
  out += R"(",")";
  out += type;
  out += R"(":)";
  out += object;
  if (!extra.empty()) {
    out += ',';
    out += extra;
  }
  out += '}';
  return out;
}

/// The parsed request; fails the test when refused.
inline send_request accepted(std::string_view json) {
  auto r = parse_send_request(json);
  if (auto err = std::get_if<api_error>(&r))
    FAIL_CHECK(err->details);
  REQUIRE(std::holds_alternative<send_request>(r));
  return std::get<send_request>(r);
}

/// Checks that `json` is refused with `code` and `details`.
inline void refused(std::string_view json, int code,
                    const std::string& details) {
  CAPTURE(json);
  auto r = parse_send_request(json);
  REQUIRE(std::holds_alternative<api_error>(r));
  auto& e = std::get<api_error>(r);
  CHECK(e.code == code);
  CHECK(e.details == details);
  CHECK(e.http_status == 400);
}

} // namespace mc::http::test
