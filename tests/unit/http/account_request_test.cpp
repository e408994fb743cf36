#include <doctest/doctest.h>

#include "http/account_request.hpp"

using namespace mc::http;

namespace {

int code(const std::variant<account_request, api_error>& r) {
  auto err = std::get_if<api_error>(&r);
  return err ? err->code : 0;
}

} // namespace

TEST_CASE("shards body: cert may be absent (the route decides), pin may be "
          "null or absent") {
  auto r = parse_shards_body(R"({"cc":"1","phone_number":"6315551234",)"
                             R"("shards":2,"pin":null})");
  REQUIRE(code(r) == 0);
  CHECK(std::get<account_request>(r).cert.empty());
  CHECK_FALSE(std::get<account_request>(r).pin);
  r = parse_shards_body(R"({"cc":"1","phone_number":"6315551234",)"
                        R"("shards":4,"cert":"C","pin":"123456"})");
  REQUIRE(code(r) == 0);
  CHECK(std::get<account_request>(r).cert == "C");
  CHECK(*std::get<account_request>(r).pin == "123456");
  CHECK(code(parse_shards_body(R"({"cc":"1","phone_number":"6315551234",)"
                               R"("shards":2,"pin":"12"})"))
        == codes::invalid_parameter);
  CHECK(code(parse_shards_body(R"({"cc":"1","phone_number":"6315551234",)"
                               R"("shards":2,"cert":""})"))
        == codes::invalid_parameter);
  CHECK(code(parse_shards_body(R"({"cc":"1","phone_number":"6315551234"})"))
        == codes::missing_parameter);
}

TEST_CASE("register body: cert stays required") {
  CHECK(code(parse_register_body(R"({"cc":"1","phone_number":"6315551234"})"))
        == codes::missing_parameter);
  CHECK(code(parse_register_body(R"({"cc":"1","phone_number":"6315551234",)"
                                 R"("cert":"C","method":"sms"})"))
        == 0);
}
