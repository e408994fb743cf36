#include <doctest/doctest.h>

#include <string>

#include "runtime/cloud/cloud_signature.hpp"
#include "runtime/cloud/cloud_verification.hpp"

using namespace mc;

namespace {

// Computed independently (Python hmac, hashlib.sha256).
constexpr const char* body
  = R"({"object":"whatsapp_business_account","entry":[]})";
constexpr const char* body_sig
  = "sha256=d3e4f9da0ce6c71ab3dba55929b8eeeee2455349e534924ead19f98d143e904f";

} // namespace

TEST_CASE("a signature matches the HMAC-SHA256 test vector") {
  // The widely quoted HMAC-SHA256 example (key "key").
  cloud_signature sig{"key"};
  auto s = sig.sign("The quick brown fox jumps over the lazy dog");
  CHECK(s == "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479d"
             "bc2d1a3cd8");
  CHECK(cloud_signature{"app-secret"}.sign(body) == body_sig);
}

TEST_CASE("a valid signature verifies") {
  cloud_signature sig{"app-secret"};
  CHECK(sig.verify(body, body_sig));
  CHECK(sig.verify(body, sig.sign(body)));
}

TEST_CASE("a signature made with another secret does not verify") {
  CHECK_FALSE(cloud_signature{"other-secret"}.verify(body, body_sig));
}

TEST_CASE("a missing or malformed header is refused") {
  cloud_signature sig{"app-secret"};
  std::string hex = std::string{body_sig}.substr(7);
  CHECK_FALSE(sig.verify(body, ""));
  CHECK_FALSE(sig.verify(body, "sha256="));
  CHECK_FALSE(sig.verify(body, hex));                  // no prefix
  CHECK_FALSE(sig.verify(body, "sha1=" + hex));        // other algorithm
  CHECK_FALSE(sig.verify(body, "SHA256=" + hex));      // prefix is exact
  CHECK_FALSE(sig.verify(body, "sha256=" + hex.substr(1)));  // 63 digits
  CHECK_FALSE(sig.verify(body, "sha256=" + hex + "0"));      // 65 digits
  CHECK_FALSE(sig.verify(body, "sha256=" + hex.substr(0, 63) + "g"));
  CHECK_FALSE(sig.verify(body, std::string{body_sig} + " "));
}

TEST_CASE("upper-case hex digits verify") {
  cloud_signature sig{"app-secret"};
  std::string upper = body_sig;
  for (size_t i = 7; i < upper.size(); ++i)
    if (upper[i] >= 'a' && upper[i] <= 'f')
      upper[i] = static_cast<char>(upper[i] - 'a' + 'A');
  REQUIRE(upper != body_sig);
  CHECK(sig.verify(body, upper));
}

TEST_CASE("a body changed by one byte does not verify") {
  cloud_signature sig{"app-secret"};
  std::string changed = body;
  changed[changed.size() - 2] ^= 1; // one bit of one byte
  CHECK_FALSE(sig.verify(changed, body_sig));
  CHECK_FALSE(sig.verify(std::string{body} + " ", body_sig));
}

// Challenge: developers.facebook.com/docs/graph-api/webhooks/
// getting-started, "Verification Requests" (hub.mode, hub.verify_token,
// hub.challenge; the example challenge 1158201444).
TEST_CASE("the verification challenge is answered for the right token") {
  auto a = answer_challenge("subscribe", "meatyhamhock", "1158201444",
                            "meatyhamhock");
  REQUIRE(a);
  CHECK(*a == "1158201444");
}

TEST_CASE("the verification challenge is refused otherwise") {
  CHECK_FALSE(answer_challenge("subscribe", "wrong", "1158201444",
                               "meatyhamhock"));
  CHECK_FALSE(answer_challenge("subscribe", "meatyhamhoc", "1158201444",
                               "meatyhamhock"));
  CHECK_FALSE(answer_challenge("unsubscribe", "meatyhamhock", "1158201444",
                               "meatyhamhock"));
  CHECK_FALSE(answer_challenge("", "meatyhamhock", "1", "meatyhamhock"));
  // An unset token never verifies, not even an empty one.
  CHECK_FALSE(answer_challenge("subscribe", "", "1", ""));
}
