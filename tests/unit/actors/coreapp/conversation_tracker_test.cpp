#include <doctest/doctest.h>

#include <string>

#include "actors/coreapp/conversation_tracker.hpp"

using namespace mc;

TEST_CASE("a conversation lasts 24 hours from the business's first message") {
  conversation_tracker t;
  auto a = t.business_sent("1555", 1000);
  CHECK(a.origin == "business_initiated");
  CHECK(a.id.size() == 32);
  CHECK(a.expires == 1000 + 24 * 3600);
  // Later messages inside the window belong to it.
  auto b = t.business_sent("1555", 1000 + 3600);
  CHECK(b.id == a.id);
  CHECK(b.expires == a.expires);
  REQUIRE(t.open_at("1555", a.expires - 1));
  CHECK_FALSE(t.open_at("1555", a.expires));
  // At its end the next message opens a new one.
  auto c = t.business_sent("1555", a.expires);
  CHECK(c.id != a.id);
  CHECK(c.expires == a.expires + 24 * 3600);
  // Another user has a conversation of its own.
  CHECK(t.business_sent("1666", 1000).id != a.id);
}

TEST_CASE("a reply within 24 hours of the user's message is user_initiated") {
  conversation_tracker t;
  t.user_wrote("1555", 5000);
  CHECK(t.business_sent("1555", 5000 + 24 * 3600 - 1).origin
        == "user_initiated");
  t.user_wrote("1666", 5000);
  CHECK(t.business_sent("1666", 5000 + 24 * 3600).origin
        == "business_initiated");
  // A message from the user does not change an open conversation.
  conversation_tracker u;
  auto first = u.business_sent("1777", 100);
  u.user_wrote("1777", 200);
  CHECK(u.business_sent("1777", 300).origin == "business_initiated");
  CHECK(u.business_sent("1777", 300).id == first.id);
}

TEST_CASE("expired conversations are forgotten as the table grows") {
  conversation_tracker t;
  for (int i = 0; i < 4095; ++i)
    t.business_sent(std::to_string(i), 0);
  CHECK(t.size() == 4095);
  // A day later every one of them expired: the next open prunes them.
  t.business_sent("new", 24 * 3600);
  CHECK(t.size() == 1);
}
