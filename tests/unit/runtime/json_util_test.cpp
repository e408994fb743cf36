#include <doctest/doctest.h>

#include "http/base64.hpp"
#include "runtime/json_util.hpp"

using namespace mc;
using namespace mc::http;
using namespace mc;
using namespace mc::http;

TEST_CASE("base64 matches the RFC 4648 test vectors") {
  struct vec { const char* in; const char* b64; };
  for (auto v : {vec{"", ""}, vec{"f", "Zg=="}, vec{"fo", "Zm8="},
                 vec{"foo", "Zm9v"}, vec{"foob", "Zm9vYg=="},
                 vec{"fooba", "Zm9vYmE="}, vec{"foobar", "Zm9vYmFy"}}) {
    CHECK(base64_encode(v.in) == v.b64);
    auto back = base64_decode(v.b64);
    REQUIRE(back);
    CHECK(*back == v.in);
  }
  CHECK(base64url_encode("\xfb\xff") == "-_8");
  CHECK(base64_encode("\xfb\xff") == "+/8=");
  CHECK(*base64url_decode("-_8") == "\xfb\xff");
}

TEST_CASE("base64 decoding refuses malformed input") {
  CHECK_FALSE(base64_decode("Zg="));    // bad length
  CHECK_FALSE(base64_decode("Zg"));     // padding required
  CHECK_FALSE(base64_decode("Z==="));   // too much padding
  CHECK_FALSE(base64_decode("Zh=="));   // non-zero trailing bits
  CHECK_FALSE(base64_decode("Zm9v!A==")); // bad character
  CHECK_FALSE(base64_decode("Zm9-"));   // URL alphabet in standard
  CHECK_FALSE(base64url_decode("Zm9v+A")); // standard alphabet in URL
  CHECK_FALSE(base64url_decode("Z"));   // impossible length
  CHECK_FALSE(base64url_decode("Zg=="));// padding not allowed
}

TEST_CASE("UTF-8 validation, counting and sanitising") {
  CHECK(valid_utf8("abc \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  CHECK_FALSE(valid_utf8("\xc0\xaf"));         // overlong '/'
  CHECK_FALSE(valid_utf8("\xed\xa0\x80"));     // surrogate
  CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80")); // above U+10FFFF
  CHECK_FALSE(valid_utf8("\xe2\x82"));         // truncated
  CHECK(utf8_length("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80") == 4);
  CHECK(sanitize_utf8("a\x80" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(clip("abcdef", 3) == "abc...");
  CHECK(clip("abc", 3) == "abc");
  // Clipping never splits a multi-byte character.
  CHECK(clip("\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 1) == "\xf0\x9f\x98\x80...");
}

TEST_CASE("parse_json refuses what RapidJSON alone would let through") {
  rapidjson::Document doc;
  std::string error;
  CHECK(parse_json("{\"a\":[1,2,{\"b\":null}]}", doc, error));
  // A NUL byte would end RapidJSON's memory stream early.
  CHECK_FALSE(parse_json(std::string_view{"{}\0garbage", 10}, doc, error));
  CHECK(error == "invalid JSON at offset 2: unexpected NUL byte");
  CHECK_FALSE(parse_json(std::string(100000, '['), doc, error));
  CHECK(error.find("nesting deeper than") != std::string::npos);
  // Brackets inside strings do not count as nesting.
  CHECK(parse_json("\"" + std::string(1000, '[') + "\"", doc, error));
  CHECK_FALSE(parse_json("\"\xff\"", doc, error)); // invalid UTF-8
  CHECK_FALSE(parse_json("{} {}", doc, error));
  CHECK(error.rfind("invalid JSON at offset 3", 0) == 0);
}
