#include <doctest/doctest.h>

#include "runtime/shard_hash.hpp"

using namespace mc;

TEST_CASE("recipients are normalised to digits") {
  CHECK(normalize_recipient("+1 631-555-0000") == "16315550000");
  CHECK(normalize_recipient("(49) 30 1234") == "49301234");
  CHECK(normalize_recipient("abc") == "");
}

TEST_CASE("the shard hash is FNV-1a 64 and pinned by vectors") {
  // Reference values of 64-bit FNV-1a.
  CHECK(recipient_hash("") == 14695981039346656037ull);
  CHECK(recipient_hash("a") == 0xaf63dc4c8601ec8cull);
  CHECK(recipient_hash("foobar") == 0x85944171f73967e8ull);
  // Pinned routing vectors: changing the function breaks these on purpose,
  // because stored messages and live clusters depend on them.
  // Computed independently (Python) from the FNV-1a definition.
  CHECK(recipient_hash("16315550000") == 0x264c05390351886full);
  CHECK(recipient_hash("4930123456") == 0x77d5be9b035ae45aull);
  struct vec { const char* to; int32_t s2, s4, s8, s16, s32; };
  for (auto v : {vec{"16315550000", 1, 3, 7, 15, 15},
                 vec{"4930123456", 0, 2, 2, 10, 26},
                 vec{"+44 7700 900123", 0, 2, 2, 2, 18}}) {
    CHECK(shard_of(v.to, 2) == v.s2);
    CHECK(shard_of(v.to, 4) == v.s4);
    CHECK(shard_of(v.to, 8) == v.s8);
    CHECK(shard_of(v.to, 16) == v.s16);
    CHECK(shard_of(v.to, 32) == v.s32);
  }
}

TEST_CASE("a business-scoped user id is hashed as it is, pinned by vectors") {
  // BSUIDs of the reference's examples (developers.facebook.com/
  // documentation/business-messaging/whatsapp/business-scoped-user-ids).
  // Computed independently (Python) from the FNV-1a definition.
  CHECK(recipient_hash("US.13491208655302741918") == 0x263d78ecbf199176ull);
  CHECK(recipient_hash("US.ENT.11815799212886844830")
        == 0x80fb2efc6a8e6c99ull);
  struct vec { const char* to; int32_t s2, s4, s8, s16, s32; };
  for (auto v : {vec{"US.13491208655302741918", 0, 2, 6, 6, 22},
                 vec{"US.ENT.11815799212886844830", 1, 1, 1, 9, 25}}) {
    CHECK(shard_of(v.to, 2) == v.s2);
    CHECK(shard_of(v.to, 4) == v.s4);
    CHECK(shard_of(v.to, 8) == v.s8);
    CHECK(shard_of(v.to, 16) == v.s16);
    CHECK(shard_of(v.to, 32) == v.s32);
  }
  // Not reduced to its digits, which would be another key (shard 6 of 32).
  CHECK(shard_of("13491208655302741918", 32) == 6);
}

TEST_CASE("formatting does not change the shard") {
  for (int32_t n : {1, 2, 4, 8, 16, 32})
    CHECK(shard_of("+1 631-555-0000", n) == shard_of("16315550000", n));
}

TEST_CASE("one shard means shard 0") {
  CHECK(shard_of("16315550000", 1) == 0);
}

TEST_CASE("shards spread recipients evenly") {
  int counts[8] = {};
  for (int i = 0; i < 8000; ++i)
    counts[shard_of("1555" + std::to_string(1000000 + i), 8)]++;
  for (int c : counts) {
    CHECK(c > 800);
    CHECK(c < 1200);
  }
}

TEST_CASE("only the On-Prem shard counts are valid") {
  for (int n : {1, 2, 4, 8, 16, 32})
    CHECK(valid_shard_count(n));
  for (int n : {0, 3, 5, 64, -1})
    CHECK_FALSE(valid_shard_count(n));
}
