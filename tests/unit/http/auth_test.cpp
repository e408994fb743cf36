#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>

#include <rapidjson/document.h>

#include "http/password_hash.hpp"
#include "http/request_auth.hpp"
#include "http/token.hpp"
#include "http/user_request.hpp"
#include "http/base64.hpp"

using namespace mc::http;

namespace {

const std::string secret = "s3cret-key-for-tests";

token_claims sample_claims() {
  return token_claims{"tok-1", "alice", true, 2'000'000'000};
}

template <class T>
api_error error_of(const std::variant<T, api_error>& r) {
  REQUIRE(std::holds_alternative<api_error>(r));
  return std::get<api_error>(r);
}

} // namespace

TEST_CASE("password hashes verify the right password only") {
  auto stored = hash_password("Correct-Horse1");
  CHECK(stored.rfind("pbkdf2-sha256$60000$", 0) == 0);
  CHECK(verify_password("Correct-Horse1", stored));
  CHECK_FALSE(verify_password("Correct-Horse2", stored));
  CHECK_FALSE(verify_password("", stored));
  // Salted: the same password hashes differently each time.
  auto again = hash_password("Correct-Horse1");
  CHECK(again != stored);
  CHECK(verify_password("Correct-Horse1", again));
}

TEST_CASE("password hashing takes a login's worth of time, not more") {
  // CPU time, not wall time: the box is shared and wall time includes
  // waiting for a core.
  auto start = std::clock();
  auto stored = hash_password("Correct-Horse1");
  auto cpu_ms = (std::clock() - start) * 1000.0 / CLOCKS_PER_SEC;
  MESSAGE("one hash: " << cpu_ms << " ms of CPU");
  CHECK(verify_password("Correct-Horse1", stored));
  CHECK(cpu_ms < 500);
}

TEST_CASE("malformed stored hashes never verify") {
  auto stored = hash_password("Correct-Horse1");
  auto tail = stored.substr(stored.find('$', 14)); // "$salt$hash"
  for (std::string bad :
       {std::string{}, std::string{"plain"}, "pbkdf2-sha1$60000" + tail,
        "pbkdf2-sha256$0" + tail, "pbkdf2-sha256$-5" + tail,
        "pbkdf2-sha256$99999999999" + tail, "pbkdf2-sha256$x" + tail,
        stored.substr(0, stored.size() - 4), stored + "A",
        std::string{"pbkdf2-sha256$60000$$"}}) {
    CAPTURE(bad);
    CHECK_FALSE(verify_password("Correct-Horse1", bad));
  }
}

TEST_CASE("password policy cases") {
  CHECK_FALSE(password_policy_error("Abcdef1!"));
  CHECK_FALSE(password_policy_error("P\xc3\xa4ssw0rdX")); // non-ASCII special
  CHECK(*password_policy_error("Abcde1!") // 7 characters
        == "password must be 8 to 64 characters long");
  CHECK(*password_policy_error("A1!" + std::string(62, 'a'))
        == "password must be 8 to 64 characters long");
  CHECK_FALSE(password_policy_error("A1!" + std::string(61, 'a'))); // 64
  CHECK(*password_policy_error("abcdef1!")
        == "password must contain an upper-case letter");
  CHECK(*password_policy_error("ABCDEF1!")
        == "password must contain a lower-case letter");
  CHECK(*password_policy_error("Abcdefg!")
        == "password must contain a digit");
  CHECK(*password_policy_error("Abcdefg1")
        == "password must contain a special character");
  CHECK(*password_policy_error("Abcdef1!\n")
        == "password must not contain control characters");
  CHECK(*password_policy_error("Abcdef1\xff")
        == "password must be valid UTF-8");
  // Length counts characters: 8 two-byte characters plus the required kinds.
  CHECK_FALSE(password_policy_error("\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4" "Aa1"));
}

TEST_CASE("tokens round-trip their claims") {
  auto token = sign_token(sample_claims(), secret);
  auto c = verify_token(token, secret, 1'700'000'000);
  REQUIRE(c);
  CHECK(c->token_id == "tok-1");
  CHECK(c->username == "alice");
  CHECK(c->is_admin);
  CHECK(c->expires_at == 2'000'000'000);
  // Separators inside the fields survive.
  token_claims odd{"id:with:colons", "bob:x.y", false, 1'800'000'000};
  auto c2 = verify_token(sign_token(odd, secret), secret, 1'700'000'000);
  REQUIRE(c2);
  CHECK(c2->token_id == "id:with:colons");
  CHECK(c2->username == "bob:x.y");
  CHECK_FALSE(c2->is_admin);
}

TEST_CASE("tampered, expired and foreign tokens are refused") {
  auto token = sign_token(sample_claims(), secret);
  const int64_t now = 1'700'000'000;
  CHECK_FALSE(verify_token(token, "other-secret", now));
  CHECK_FALSE(verify_token(token, "", now));
  CHECK_FALSE(verify_token(token, secret, 2'000'000'000)); // at expiry
  CHECK_FALSE(verify_token(token, secret, 2'000'000'001));
  CHECK(verify_token(token, secret, 1'999'999'999));
  // Flip every character of the token in turn: none may still verify.
  for (size_t i = 0; i < token.size(); ++i) {
    auto bad = token;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    CAPTURE(i);
    CHECK_FALSE(verify_token(bad, secret, now));
  }
  // A forged payload claiming admin with the signature of another payload.
  token_claims user = sample_claims();
  user.is_admin = false;
  auto user_token = sign_token(user, secret);
  auto forged = token.substr(0, token.find('.'))
                + user_token.substr(user_token.find('.'));
  CHECK_FALSE(verify_token(forged, secret, now));
  for (std::string_view bad : {"", ".", "abc", "abc.", ".abc", "a.b.c",
                               "!!!.???"})
    CHECK_FALSE(verify_token(bad, secret, now));
  CHECK_FALSE(verify_token(std::string(100000, 'A'), secret, now));
}

TEST_CASE("token verification is fast") {
  auto token = sign_token(sample_claims(), secret);
  // Best of several rounds: the box is shared, and a round that was
  // preempted says nothing about the cost of the code.
  constexpr int rounds = 7;
  constexpr int n = 2000;
  int64_t best_ns = INT64_MAX;
  int ok = 0;
  for (int r = 0; r < rounds; ++r) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i)
      ok += verify_token(token, secret, 1'700'000'000) ? 1 : 0;
    auto elapsed = std::chrono::steady_clock::now() - start;
    best_ns = std::min<int64_t>(
      best_ns,
      std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()
        / n);
  }
  CHECK(ok == rounds * n);
  MESSAGE("verify_token: " << best_ns << " ns per call (best round)");
  CHECK(best_ns < 5000);
}

TEST_CASE("token ids are random and URL-safe") {
  auto a = new_token_id();
  auto b = new_token_id();
  CHECK(a.size() == 22);
  CHECK(a != b);
  CHECK(base64url_decode(a)->size() == 16);
}

TEST_CASE("expiry is formatted as On-Prem does") {
  CHECK(format_expiry(0) == "1970-01-01 00:00:00+00:00");
  CHECK(format_expiry(1519917366) == "2018-03-01 15:16:06+00:00");
}

TEST_CASE("basic auth headers") {
  std::string user, pw;
  REQUIRE(parse_basic_auth("Basic YWRtaW46c2VjcmV0", user, pw));
  CHECK(user == "admin");
  CHECK(pw == "secret");
  REQUIRE(parse_basic_auth("basic   " + base64_encode("u:p:with:colons")
                             + " ",
                           user, pw));
  CHECK(user == "u");
  CHECK(pw == "p:with:colons");
  REQUIRE(parse_basic_auth("Basic " + base64_encode("u:"), user, pw));
  CHECK(pw.empty());
  CHECK_FALSE(parse_basic_auth("Basic " + base64_encode("nocolon"), user, pw));
  CHECK_FALSE(parse_basic_auth("Basic " + base64_encode(":pw"), user, pw));
  CHECK_FALSE(parse_basic_auth("Basic !!!!", user, pw));
  CHECK_FALSE(parse_basic_auth("Basic", user, pw));
  CHECK_FALSE(parse_basic_auth("Bearer YWRtaW46c2VjcmV0", user, pw));
  CHECK_FALSE(parse_basic_auth("BasicYWRtaW46c2VjcmV0", user, pw));
  CHECK_FALSE(parse_basic_auth("", user, pw));
}

TEST_CASE("bearer headers") {
  CHECK(bearer_token("Bearer abc.def") == "abc.def");
  CHECK(bearer_token("bearer  abc.def ") == "abc.def");
  CHECK(bearer_token("Bearer").empty());
  CHECK(bearer_token("Bearer ").empty());
  CHECK(bearer_token("Bearer a b").empty());
  CHECK(bearer_token("Basic abc").empty());
  CHECK(bearer_token("Bearerabc").empty());
  CHECK(bearer_token("").empty());
}

TEST_CASE("login bodies") {
  auto empty = parse_login_body("");
  REQUIRE(std::holds_alternative<login_request>(empty));
  CHECK_FALSE(std::get<login_request>(empty).new_password);
  CHECK(std::holds_alternative<login_request>(parse_login_body(" \r\n")));
  CHECK_FALSE(std::get<login_request>(parse_login_body("{}")).new_password);
  auto change = parse_login_body(R"({"new_password":"N3w-Passw0rd"})");
  REQUIRE(std::holds_alternative<login_request>(change));
  CHECK(*std::get<login_request>(change).new_password == "N3w-Passw0rd");
  auto weak = error_of(parse_login_body(R"({"new_password":"weak"})"));
  CHECK(weak.code == 1009);
  CHECK(weak.details == "new_password: password must be 8 to 64 characters "
                        "long");
  CHECK(error_of(parse_login_body(R"({"new_password":5})")).details
        == "new_password must be a string, got a number");
  auto unknown = error_of(parse_login_body(R"({"user":"x"})"));
  CHECK(unknown.code == 1010);
  CHECK(unknown.details == "unknown field 'user'");
  CHECK(error_of(parse_login_body("[]")).code == 1009);
  CHECK(error_of(parse_login_body("{")).details.rfind("invalid JSON", 0) == 0);
}

TEST_CASE("login response shape") {
  rapidjson::Document doc;
  doc.Parse(login_response_json("tok\"en", 1519917366).c_str());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc["users"].Size() == 1);
  CHECK(std::string{doc["users"][0]["token"].GetString()} == "tok\"en");
  CHECK(std::string{doc["users"][0]["expires_after"].GetString()}
        == "2018-03-01 15:16:06+00:00");
  CHECK(doc["meta"].IsObject());
}

TEST_CASE("create user bodies") {
  auto ok = parse_create_user_body(
    R"({"username":"ops.team-1_a","password":"Str0ng!pass"})");
  REQUIRE(std::holds_alternative<create_user_request>(ok));
  CHECK(std::get<create_user_request>(ok).username == "ops.team-1_a");
  CHECK(std::get<create_user_request>(ok).password == "Str0ng!pass");
  struct row { const char* json; int code; const char* details; };
  for (auto r : {
         row{R"({"password":"Str0ng!pass"})", 1008, "username is missing"},
         row{R"({"username":"bob"})", 1008, "password is missing"},
         row{R"({"username":7,"password":"Str0ng!pass"})", 1009,
             "username must be a string, got a number"},
         row{R"({"username":"","password":"Str0ng!pass"})", 1009,
             "username must be 1 to 64 characters of A-Z, a-z, 0-9, '_', "
             "'.' and '-'"},
         row{R"({"username":"bob smith","password":"Str0ng!pass"})", 1009,
             "username must be 1 to 64 characters of A-Z, a-z, 0-9, '_', "
             "'.' and '-'"},
         row{R"({"username":"bob","password":true})", 1009,
             "password must be a string, got a boolean"},
         row{R"({"username":"bob","password":"weakpass"})", 1009,
             "password must contain an upper-case letter"},
         row{R"({"username":"bob","password":"Str0ng!pass","x":1})", 1010,
             "unknown field 'x'"},
         row{R"({"username":"a","username":"b","password":"Str0ng!pass"})",
             1009, "duplicate field 'username'"},
         row{"[1]", 1009, "request body must be a JSON object, got an array"},
       }) {
    CAPTURE(r.json);
    auto e = error_of(parse_create_user_body(r.json));
    CHECK(e.code == r.code);
    CHECK(e.details == r.details);
  }
  auto long_name = std::string(65, 'a');
  CHECK(error_of(parse_create_user_body(R"({"username":")" + long_name
                                        + R"(","password":"Str0ng!pass"})"))
          .code
        == 1009);
  CHECK(std::holds_alternative<create_user_request>(parse_create_user_body(
    R"({"username":")" + std::string(64, 'a') + R"(","password":"Str0ng!pass"})")));
}
