#include <doctest/doctest.h>

#include "http/read_request.hpp"

using namespace mc::http;

namespace {

int code_of(const char* body) {
  auto r = parse_read_request(body);
  if (std::holds_alternative<read_request>(r))
    return 0;
  return std::get<api_error>(r).code;
}

} // namespace

TEST_CASE("mark-as-read takes status read only") {
  CHECK(code_of(R"({"status":"read"})") == 0);
  CHECK(code_of(R"({})") == 1008);
  CHECK(code_of(R"({"status":"delivered"})") == 1009);
  CHECK(code_of(R"({"status":1})") == 1009);
  CHECK(code_of(R"({"status":"read","extra":1})") == 1010);
  CHECK(code_of("not json") == 1009);
  auto r = parse_read_request(R"({"status":"sent"})");
  CHECK(std::get<api_error>(r).http_status == 400);
}
