#include <doctest/doctest.h>

#include <cctype>
#include <string>
#include <variant>

#include "http/idempotency_key.hpp"
#include "runtime/onprem_codes.hpp"

using namespace mc;
using namespace mc::http;

namespace {

std::string id_of(const std::string& key) {
  auto r = message_id_for_key(key);
  REQUIRE(std::holds_alternative<std::string>(r));
  return std::get<std::string>(r);
}

} // namespace

TEST_CASE("a retry with the same idempotency key gets the same message id") {
  auto a = id_of("order-4711");
  CHECK(a == id_of("order-4711"));
  CHECK(a != id_of("order-4712"));
  // The same form as a random id: 27 URL-safe characters.
  CHECK(a.size() == 27);
  for (char c : a)
    CHECK((std::isalnum(static_cast<unsigned char>(c)) || c == '-'
           || c == '_'));
}

TEST_CASE("without a key every send gets a fresh id") {
  auto a = id_of("");
  auto b = id_of("");
  CHECK(a.size() == 27);
  CHECK(a != b);
}

TEST_CASE("a key that is too long or not printable ASCII is 1009") {
  for (auto bad : {std::string(129, 'k'), std::string{"with space"},
                   std::string{"tab\tkey"}}) {
    auto r = message_id_for_key(bad);
    REQUIRE(std::holds_alternative<api_error>(r));
    CHECK(std::get<api_error>(r).code == codes::invalid_parameter);
  }
  CHECK(std::holds_alternative<std::string>(
    message_id_for_key(std::string(128, 'k'))));
}
