#include <doctest/doctest.h>

#include <string>

#include "runtime/cloud/cloud_user_id.hpp"
#include "runtime/shard_hash.hpp"

using namespace mc;

// Format: developers.facebook.com/documentation/business-messaging/
// whatsapp/business-scoped-user-ids (BSUID "US.13491208655302741918",
// parent BSUID "US.ENT.11815799212886844830").
TEST_CASE("the reference's BSUIDs are BSUIDs") {
  CHECK(is_bsuid("US.13491208655302741918"));
  CHECK(is_bsuid("US.ENT.11815799212886844830"));
  CHECK(is_bsuid("IN.1648738043044942"));
  CHECK(is_bsuid("DE.a1B2c3")); // alphanumeric
}

TEST_CASE("phone numbers and other strings are not BSUIDs") {
  CHECK_FALSE(is_bsuid(""));
  CHECK_FALSE(is_bsuid("16315551234"));
  CHECK_FALSE(is_bsuid("+1 631-555-1234"));
  CHECK_FALSE(is_bsuid("us.13491208655302741918")); // lower-case country
  CHECK_FALSE(is_bsuid("USA.13491208655302741918"));
  CHECK_FALSE(is_bsuid("U.13491208655302741918"));
  CHECK_FALSE(is_bsuid("US13491208655302741918"));
  CHECK_FALSE(is_bsuid("US."));
  CHECK_FALSE(is_bsuid("US.ENT."));
  CHECK_FALSE(is_bsuid("US.1349-1208"));
  CHECK_FALSE(is_bsuid("US.1349.1208"));
  CHECK_FALSE(is_bsuid("US.13491208655302741918 "));
  CHECK(is_bsuid("US." + std::string(max_bsuid_chars - 3, '1')));
  CHECK_FALSE(is_bsuid("US." + std::string(max_bsuid_chars - 2, '1')));
}

TEST_CASE("the routing key is the phone's digits, else the BSUID") {
  CHECK(routing_key("+1 631-555-1234", "US.13491208655302741918")
        == "16315551234");
  CHECK(routing_key("16315551234", "") == "16315551234");
  CHECK(routing_key("", "US.13491208655302741918")
        == "US.13491208655302741918");
  CHECK(routing_key("", "") == "");
}

TEST_CASE("a user keeps its shard whichever id a message names it by") {
  for (int32_t n : {2, 4, 8, 16, 32}) {
    // Known by phone: the phone's shard, BSUID or not.
    CHECK(shard_of(routing_key("16315551234", "US.13491208655302741918"), n)
          == shard_of("16315551234", n));
    // Known by BSUID alone: the BSUID's shard.
    CHECK(shard_of(routing_key("", "US.13491208655302741918"), n)
          == shard_of("US.13491208655302741918", n));
  }
}
