#include <doctest/doctest.h>

#include <ctime>

#include "http/credential_keys.hpp"

using namespace mc::http;
using namespace std::chrono_literals;

namespace {

using clock_type = credential_keys::clock;

const std::string old_secret = "old-secret-0123456789abcdef0123456789";
const std::string new_secret = "new-secret-0123456789abcdef0123456789";

int64_t unix_now() {
  return static_cast<int64_t>(std::time(nullptr));
}

token_claims claims_of(const std::string& id) {
  return token_claims{id, "alice", false, unix_now() + 3600};
}

} // namespace

TEST_CASE("after a rotation the previous token secret verifies until the "
          "overlap ends, then its tokens are refused") {
  credential_keys keys;
  auto t0 = clock_type::now();
  CHECK(keys.set({old_secret, "key-a", "", 0}, t0));
  auto old_token = keys.sign(claims_of("t-old"));
  REQUIRE(keys.verify(old_token, unix_now(), t0));

  // Rotated with a 2 s overlap, read at t0.
  CHECK(keys.set({new_secret, "key-a", old_secret, 2000}, t0));
  auto new_token = keys.sign(claims_of("t-new"));
  CHECK(new_token != old_token);
  CHECK(sign_token(claims_of("t-new"), new_secret) != old_token);
  auto got = keys.verify(old_token, unix_now(), t0 + 1999ms);
  REQUIRE(got);
  CHECK(got->token_id == "t-old");
  CHECK_FALSE(keys.verify(old_token, unix_now(), t0 + 2000ms));
  // The end holds without another reload, and the new secret is unaffected.
  CHECK(keys.verify(new_token, unix_now(), t0 + 1h));
}

TEST_CASE("a rotation without overlap refuses the previous secret's tokens "
          "at once, and an expired token stays refused in the overlap") {
  credential_keys keys;
  auto t0 = clock_type::now();
  keys.set({old_secret, "k", "", 0}, t0);
  auto old_token = keys.sign(claims_of("t1"));
  auto expired = keys.sign(token_claims{"t2", "bob", true, unix_now() - 1});
  keys.set({new_secret, "k", old_secret, 0}, t0);
  CHECK_FALSE(keys.verify(old_token, unix_now(), t0));
  keys.set({new_secret, "k", old_secret, 60000}, t0);
  CHECK(keys.verify(old_token, unix_now(), t0));
  CHECK_FALSE(keys.verify(expired, unix_now(), t0));
}

TEST_CASE("a rotated API key replaces the old one, which is refused") {
  credential_keys keys;
  CHECK_FALSE(keys.api_key_matches("anything"));
  keys.set({old_secret, "key-one-0123", "", 0});
  CHECK(keys.api_key_matches("key-one-0123"));
  CHECK_FALSE(keys.api_key_matches("key-one-012"));
  CHECK_FALSE(keys.api_key_matches(""));
  CHECK(keys.set({old_secret, "key-two-0123", "", 0}));
  CHECK_FALSE(keys.api_key_matches("key-one-0123"));
  CHECK(keys.api_key_matches("key-two-0123"));
  // A reload that finds the same secrets reports no change.
  CHECK_FALSE(keys.set({old_secret, "key-two-0123", "", 0}));
}
