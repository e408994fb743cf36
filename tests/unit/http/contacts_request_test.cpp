#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include "http/contacts_request.hpp"

using namespace mc::http;

namespace {

api_error error_of(std::string_view body) {
  auto r = parse_contacts_request(body);
  REQUIRE(std::holds_alternative<api_error>(r));
  return std::get<api_error>(r);
}

} // namespace

TEST_CASE("a contacts request parses with its defaults") {
  auto r = parse_contacts_request(
    R"({"contacts":["16315551000","+1 631 555 1001"]})");
  REQUIRE(std::holds_alternative<contacts_request>(r));
  auto& c = std::get<contacts_request>(r);
  CHECK_FALSE(c.wait); // no_wait is the default
  CHECK_FALSE(c.force_check);
  REQUIRE(c.inputs.size() == 2);
  CHECK(c.inputs[1] == "+1 631 555 1001");
  auto w = parse_contacts_request(
    R"({"blocking":"wait","contacts":["1"],"force_check":true})");
  REQUIRE(std::holds_alternative<contacts_request>(w));
  CHECK(std::get<contacts_request>(w).wait);
  CHECK(std::get<contacts_request>(w).force_check);
}

TEST_CASE("bad contacts requests get the On-Prem codes") {
  CHECK(error_of(R"({"blocking":"wait"})").code == 1008);
  CHECK(error_of(R"({"contacts":"16315551000"})").code == 1009);
  CHECK(error_of(R"({"contacts":[]})").code == 1009);
  CHECK(error_of(R"({"contacts":[16315551000]})").code == 1009);
  CHECK(error_of(R"({"contacts":["1"],"blocking":"later"})").code == 1009);
  CHECK(error_of(R"({"contacts":["1"],"force_check":"yes"})").code == 1009);
  CHECK(error_of(R"({"contacts":["1"],"extra":1})").code == 1010);
  CHECK(error_of(R"({"contacts":["1"],"contacts":["2"]})").code == 1009);
  CHECK(error_of("not json").code == 1009);
  CHECK(error_of("[]").code == 1009);
  CHECK(error_of(R"({"blocking":"wait"})").http_status == 400);
}

TEST_CASE("more contacts than the per-request limit are refused with 1009") {
  std::string body = R"({"contacts":[)";
  for (size_t i = 0; i <= max_contacts_per_request; ++i)
    body += (i ? "," : "") + std::string{"\"16315550000\""};
  body += "]}";
  auto e = error_of(body);
  CHECK(e.code == 1009);
  CHECK(e.http_status == 400);
  CHECK(e.details.find("at most 1000") != std::string::npos);
}

TEST_CASE("contact inputs reduce to digits or fail") {
  CHECK(contact_digits("+1 (631) 555-1004") == "16315551004");
  CHECK(contact_digits("1-631-555-1005") == "16315551005");
  CHECK(contact_digits("16315551000") == "16315551000");
  CHECK(contact_digits("+1631555") == "");       // too short
  CHECK(contact_digits("1234567890123456") == ""); // over 15 digits
  CHECK(contact_digits("+1 631 CALL NOW") == "");  // letters
  CHECK(contact_digits("") == "");
}

TEST_CASE("the contacts answer has input, status and wa_id when valid") {
  auto json = contacts_response_json(
    {{"+1 631 555 1000", "valid", "16315551000"},
     {"6315551002", "invalid", ""},
     {"+1631555", "failed", ""}});
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  auto& c = doc["contacts"];
  REQUIRE(c.Size() == 3);
  CHECK(std::string{c[0]["input"].GetString()} == "+1 631 555 1000");
  CHECK(std::string{c[0]["status"].GetString()} == "valid");
  CHECK(std::string{c[0]["wa_id"].GetString()} == "16315551000");
  CHECK_FALSE(c[1].HasMember("wa_id"));
  CHECK(std::string{c[2]["status"].GetString()} == "failed");
  CHECK(doc.HasMember("meta"));
}
