#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <set>

#include <rapidjson/document.h>

#include "http/send_request.hpp"

using namespace mc::http;

namespace {

/// The error of a parse that must fail.
api_error fails(std::string_view json) {
  auto r = parse_send_request(json);
  REQUIRE_MESSAGE(std::holds_alternative<api_error>(r), json);
  return std::get<api_error>(r);
}

/// The request of a parse that must succeed.
send_request passes(std::string_view json) {
  auto r = parse_send_request(json);
  if (auto err = std::get_if<api_error>(&r))
    FAIL_CHECK(err->details);
  REQUIRE(std::holds_alternative<send_request>(r));
  return std::get<send_request>(r);
}

void check_error(std::string_view json, int code, const std::string& details) {
  CAPTURE(json);
  auto e = fails(json);
  CHECK(e.code == code);
  CHECK(e.details == details);
  CHECK(e.http_status == 400);
}

std::string with_body(const std::string& body) {
  return R"({"to":"16315550000","type":"text","text":{"body":")" + body
         + R"("}})";
}

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i)
    out += s;
  return out;
}

} // namespace

TEST_CASE("a minimal and a full send request parse") {
  auto r = passes(R"({"to":"16315550000","text":{"body":"hi"}})");
  CHECK(r.to == "16315550000");
  // The type is filled in, first.
  CHECK(r.type == "text");
  CHECK(r.payload == R"({"type":"text","text":{"body":"hi"}})");
  r = passes(R"({"recipient_type":"individual","to":"+1 (631) 555-0000",)"
             R"("type":"text","preview_url":true,"text":{"body":"a\nb\u00e9"}})");
  CHECK(r.to == "16315550000"); // normalised to digits
  // Everything but `to`, in request order after the type, compact UTF-8.
  CHECK(r.payload
        == "{\"type\":\"text\",\"recipient_type\":\"individual\","
           "\"preview_url\":true,\"text\":{\"body\":\"a\\nb\xc3\xa9\"}}");
}

TEST_CASE("missing fields give 1008 with the field name") {
  check_error(R"({"text":{"body":"hi"}})", 1008, "to is missing");
  check_error(R"({"to":"1"})", 1008, "text is missing");
  check_error(R"({"to":"1","text":{}})", 1008, "text.body is missing");
}

TEST_CASE("wrong types give 1009 with the field name") {
  check_error(R"({"to":16315550000,"text":{"body":"hi"}})", 1009,
              "to must be a string, got a number");
  check_error(R"({"to":"1","text":"hi"})", 1009,
              "text must be an object, got a string");
  check_error(R"({"to":"1","text":{"body":["hi"]}})", 1009,
              "text.body must be a string, got an array");
  check_error(R"({"to":"1","text":{"body":null}})", 1009,
              "text.body must be a string, got null");
  check_error(R"({"to":"1","text":{"body":"hi"},"preview_url":"yes"})", 1009,
              "preview_url must be a boolean, got a string");
  check_error(R"({"to":"1","type":5,"text":{"body":"hi"}})", 1009,
              "type must be a string, got a number");
  check_error(R"({"to":"1","recipient_type":{},"text":{"body":"hi"}})", 1009,
              "recipient_type must be a string, got an object");
}

TEST_CASE("recipient rules") {
  check_error(R"({"to":"abc","text":{"body":"hi"}})", 1009,
              "to may contain only digits, spaces, '+', '-', '(' and ')': "
              "'abc'");
  check_error(R"J({"to":"+ -()","text":{"body":"hi"}})J", 1009,
              "to must contain at least one digit");
  check_error(R"({"to":"","text":{"body":"hi"}})", 1009,
              "to must contain at least one digit");
  check_error(R"({"to":"123456789012345678901","text":{"body":"hi"}})", 1009,
              "to has more than 20 digits");
  CHECK(passes(R"({"to":"12345678901234567890","text":{"body":"x"}})").to
        == "12345678901234567890");
  CHECK(passes(R"({"to":"7","text":{"body":"x"}})").to == "7");
}

TEST_CASE("a business-scoped user id is a recipient as it is") {
  CHECK(passes(R"({"to":"US.13491208655302741918","text":{"body":"x"}})").to
        == "US.13491208655302741918");
  // Not a BSUID (lower-case country): the digit rule applies and refuses it.
  check_error(R"({"to":"us.1349","text":{"body":"hi"}})", 1009,
              "to may contain only digits, spaces, '+', '-', '(' and ')': "
              "'us.1349'");
}

TEST_CASE("only the reference's types, to individuals, are supported") {
  check_error(R"({"to":"1","type":"carousel","carousel":{}})", 1009,
              "type 'carousel' is not supported");
  check_error(R"({"to":"1","type":"image","image":{"link":"x"}})", 1009,
              "image.link must be an http(s) URL, got 'x'");
  check_error(R"({"to":"1","type":"","text":{"body":"hi"}})", 1009,
              "type '' is not supported");
  auto e = fails(R"({"to":"1","recipient_type":"group","text":{"body":"x"}})");
  CHECK(e.code == 1002);
  CHECK(e.title == "Invalid recipient type");
  CHECK(e.details == "recipient_type 'group' is not supported; use "
                     "'individual'");
}

TEST_CASE("unknown and duplicate fields are refused") {
  check_error(R"({"to":"1","text":{"body":"hi"},"foo":1})", 1010,
              "unknown field 'foo'");
  check_error(R"({"to":"1","text":{"body":"hi","foo":1}})", 1010,
              "unknown field 'text.foo'");
  check_error(R"({"to":"1","to":"2","text":{"body":"hi"}})", 1009,
              "duplicate field 'to'");
  check_error(R"({"to":"1","text":{"body":"a","body":"b"}})", 1009,
              "duplicate field 'text.body'");
  // Long field names are clipped in the message.
  auto e = fails(R"({"to":"1","text":{"body":"hi"},")" + std::string(500, 'k')
                 + R"(":1})");
  CHECK(e.code == 1010);
  CHECK(e.details == "unknown field '" + std::string(64, 'k') + "...'");
}

TEST_CASE("the body length is counted in code points, not bytes") {
  const std::string emoji = "\xf0\x9f\x98\x80"; // U+1F600, 4 bytes
  auto ok = passes(with_body(repeat(emoji, 4096)));
  CHECK(ok.payload == R"({"type":"text","text":{"body":")" + repeat(emoji, 4096)
                        + R"("}})");
  check_error(with_body(repeat(emoji, 4097)), 1001,
              "text.body is longer than 4096 characters");
  CHECK(fails(with_body(repeat(emoji, 4097))).title == "Message too long");
  // The same through escapes: a surrogate pair is one code point.
  passes(with_body(repeat("\\ud83d\\ude00", 4096)));
  check_error(with_body(repeat("\\ud83d\\ude00", 4097)), 1001,
              "text.body is longer than 4096 characters");
  passes(with_body(std::string(4096, 'a')));
  check_error(with_body(std::string(4097, 'a')), 1001,
              "text.body is longer than 4096 characters");
  check_error(with_body(""), 1009, "text.body must not be empty");
}

TEST_CASE("malformed JSON gives 1009 with the offset") {
  check_error("", 1009, "invalid JSON at offset 0: The document is empty.");
  check_error(R"({"to":"1","text":{"body":"hi")", 1009,
              "invalid JSON at offset 29: Missing a comma or '}' after an "
              "object member.");
  auto e = fails(R"({"to":"1",})");
  CHECK(e.code == 1009);
  CHECK(e.details.rfind("invalid JSON at offset 10:", 0) == 0);
  for (auto bad : {"{", "}", "nul", "{\"to\":}", "{'to':'1'}", "[1,2",
                   "{\"to\":\"1\"} x", "\"\\x\"", "{\"a\":NaN}",
                   "{\"to\":\"\xff\",\"text\":{\"body\":\"x\"}}",
                   "{\"to\":\"1\",\"text\":{\"body\":\"\\ud800\"}}"}) {
    CAPTURE(bad);
    auto err = fails(bad);
    CHECK(err.code == 1009);
    CHECK(err.details.rfind("invalid JSON at offset ", 0) == 0);
  }
}

TEST_CASE("a non-object root is refused") {
  check_error("[]", 1009, "request body must be a JSON object, got an array");
  check_error("42", 1009, "request body must be a JSON object, got a number");
  check_error("null", 1009, "request body must be a JSON object, got null");
  check_error("\"x\"", 1009,
              "request body must be a JSON object, got a string");
}

TEST_CASE("hostile input is refused quickly and safely") {
  auto start = std::chrono::steady_clock::now();
  // Deep nesting would exhaust the stack of a recursive parser.
  auto deep = fails("{\"to\":" + std::string(200'000, '['));
  CHECK(deep.details.find("nesting deeper than") != std::string::npos);
  auto deep_obj = fails(repeat("{\"a\":", 100'000));
  CHECK(deep_obj.code == 1009);
  // Over the size cap.
  auto huge = fails(with_body(std::string(10'000'000, 'a')));
  CHECK(huge.details == "request body is larger than 262144 bytes");
  // Many members (would be quadratic with a naive duplicate check).
  std::string many = R"({"to":"1","text":{"body":"x"})";
  for (int i = 0; i < 20000; ++i)
    many += ",\"f" + std::to_string(i) + "\":1";
  many += "}";
  CHECK(fails(many).details == "unknown field 'f0'");
  // An embedded NUL cannot end the document early.
  std::string with_nul = R"({"to":"1","text":{"body":"x"}})";
  with_nul += '\0';
  with_nul += "garbage";
  CHECK(fails(with_nul).details
        == "invalid JSON at offset 30: unexpected NUL byte");
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(elapsed < std::chrono::seconds(2));
}

TEST_CASE("random bytes never crash the parser") {
  std::mt19937 gen{12345};
  const std::string seed = R"({"to":"+1 631","type":"text","text":{"body":"h\u00e9"},"preview_url":false})";
  for (int i = 0; i < 20000; ++i) {
    std::string s = seed;
    // Mutate a few bytes, or truncate, or use pure noise.
    switch (i % 3) {
      case 0:
        for (int k = 0; k < 3; ++k)
          s[gen() % s.size()] = static_cast<char>(gen() & 0xff);
        break;
      case 1:
        s.resize(gen() % s.size());
        break;
      default:
        s.assign(gen() % 64, '\0');
        for (auto& c : s)
          c = static_cast<char>(gen() & 0xff);
    }
    auto r = parse_send_request(s);
    if (auto ok = std::get_if<send_request>(&r)) {
      CHECK_FALSE(ok->to.empty());
      CHECK_FALSE(ok->payload.empty());
    } else {
      CHECK(std::get<api_error>(r).http_status == 400);
    }
  }
}

TEST_CASE("send response shape") {
  rapidjson::Document doc;
  doc.Parse(send_response_json("gBEGkYiEB1VXAglK1ZEqA1YKPrU").c_str());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc["messages"].Size() == 1);
  CHECK(std::string{doc["messages"][0]["id"].GetString()}
        == "gBEGkYiEB1VXAglK1ZEqA1YKPrU");
  CHECK(std::string{doc["meta"]["api_status"].GetString()} == "stable");
}

TEST_CASE("message ids are long, URL-safe, unique and fast") {
  std::set<std::string> seen;
  for (int i = 0; i < 20000; ++i) {
    auto id = new_message_id();
    REQUIRE(id.size() >= 27);
    for (char c : id)
      REQUIRE(((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
               || (c >= '0' && c <= '9') || c == '-' || c == '_'));
    seen.insert(std::move(id));
  }
  CHECK(seen.size() == 20000);
  // The send path makes 20,000 a second; an id must cost a tiny fraction
  // of that budget (50 us). Best of several rounds: the box is shared.
  auto best = std::chrono::nanoseconds::max();
  for (int r = 0; r < 5; ++r) {
    auto start = std::chrono::steady_clock::now();
    size_t total = 0;
    for (int i = 0; i < 2000; ++i)
      total += new_message_id().size();
    best = std::min(best, std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::steady_clock::now() - start));
    CHECK(total == 2000 * 27);
  }
  MESSAGE("new_message_id: " << best.count() / 2000 << " ns per call");
  CHECK(best / 2000 < std::chrono::microseconds(5));
}

TEST_CASE("random mutations of every type's request never crash the parser") {
  const std::string seeds[] = {
    R"({"to":"1","type":"template","template":{"namespace":"n","name":"t","language":{"policy":"deterministic","code":"en"},"components":[{"type":"body","parameters":[{"type":"currency","currency":{"fallback_value":"$1","code":"USD","amount_1000":1000}}]},{"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"x"}]}]}})",
    R"({"to":"1","type":"interactive","interactive":{"type":"list","body":{"text":"b"},"action":{"button":"b","sections":[{"title":"s","rows":[{"id":"a","title":"t"}]}]}}})",
    R"({"to":"1","type":"contacts","contacts":[{"name":{"formatted_name":"J"},"phones":[{"phone":"1"}],"birthday":"2000-01-01"}]})",
    R"({"to":"1","type":"hsm","hsm":{"namespace":"n","element_name":"e","language":{"policy":"deterministic","code":"en"},"localizable_params":[{"default":"d","date_time":{"unix_epoch":{"timestamp":1}}}]}})",
    R"({"to":"1","type":"document","document":{"link":"https://x/y","filename":"f"},"context":{"message_id":"m"}})"};
  std::mt19937 gen{777};
  for (auto& seed : seeds) {
    REQUIRE(std::holds_alternative<send_request>(parse_send_request(seed)));
    for (int i = 0; i < 4000; ++i) {
      std::string s = seed;
      if (i % 2 == 0)
        for (int k = 0; k < 3; ++k)
          s[gen() % s.size()] = static_cast<char>(gen() & 0xff);
      else
        s.resize(gen() % s.size());
      auto r = parse_send_request(s);
      if (auto ok = std::get_if<send_request>(&r))
        CHECK(ok->payload.rfind("{\"type\":\"" + ok->type + "\"", 0) == 0);
      else
        CHECK(std::get<api_error>(r).http_status == 400);
    }
  }
}
