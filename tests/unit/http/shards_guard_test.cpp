#include <doctest/doctest.h>

#include "http/password_hash.hpp"
#include "http/shards_guard.hpp"

using namespace mc;
using namespace mc::http;

namespace {

registered_account account(std::string pin_hash = {}) {
  return {"1", "6315551234", "CERT", std::move(pin_hash), 1};
}

account_request request(std::string cert,
                        std::optional<std::string> pin = std::nullopt) {
  account_request r;
  r.cc = "1";
  r.phone_number = "6315551234";
  r.cert = std::move(cert);
  r.pin = std::move(pin);
  r.shards = 2;
  return r;
}

int code(const std::optional<api_error>& e) {
  return e ? e->code : 0;
}

constexpr int64_t day = 24 * 3600;

} // namespace

TEST_CASE("shards: the cert may be left out within 7 days of registration, "
          "not after (1008)") {
  CHECK(code(shards_guard_error(account(), 0, request(""))) == 0);
  CHECK(code(shards_guard_error(account(), 7 * day - 1, request(""))) == 0);
  CHECK(code(shards_guard_error(account(), 7 * day, request("")))
        == codes::missing_parameter);
  CHECK(code(shards_guard_error(account(), std::nullopt, request("")))
        == codes::missing_parameter);
  CHECK(code(shards_guard_error(account(), 30 * day, request("CERT"))) == 0);
  CHECK(code(shards_guard_error(account(), 0, request("OTHER")))
        == codes::invalid_parameter);
  auto other = request("CERT");
  other.phone_number = "6315550000";
  CHECK(code(shards_guard_error(account(), 0, other))
        == codes::invalid_parameter);
}

TEST_CASE("shards: with two-step on the pin is required (1008) and checked "
          "(1005, 403); with it off no pin is needed") {
  auto on = account(hash_password("123456"));
  CHECK(code(shards_guard_error(on, 0, request("CERT", "123456"))) == 0);
  CHECK(code(shards_guard_error(on, 0, request("CERT")))
        == codes::missing_parameter);
  auto wrong = shards_guard_error(on, 0, request("CERT", "654321"));
  REQUIRE(wrong);
  CHECK(wrong->code == codes::access_denied);
  CHECK(wrong->http_status == 403);
  CHECK(code(shards_guard_error(account(), 0, request("CERT"))) == 0);
}
