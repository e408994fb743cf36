#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include "http/account_settings_request.hpp"

using namespace mc;
using namespace mc::http;

namespace {

template <class T>
int error_code(const std::variant<T, api_error>& r) {
  auto err = std::get_if<api_error>(&r);
  return err ? err->code : 0;
}

std::string value(const std::variant<std::string, api_error>& r) {
  if (auto err = std::get_if<api_error>(&r))
    FAIL_CHECK(err->details);
  REQUIRE(std::holds_alternative<std::string>(r));
  return std::get<std::string>(r);
}

} // namespace

TEST_CASE("two-step: a 6-digit pin is accepted; missing 1008, other 1009, "
          "unknown fields 1010") {
  CHECK(value(parse_pin_body(R"({"pin":"012345"})")) == "012345");
  CHECK(error_code(parse_pin_body("{}")) == codes::missing_parameter);
  CHECK(error_code(parse_pin_body(R"({"pin":null})"))
        == codes::missing_parameter);
  CHECK(error_code(parse_pin_body(R"({"pin":"12345"})"))
        == codes::invalid_parameter);
  CHECK(error_code(parse_pin_body(R"({"pin":"1234567"})"))
        == codes::invalid_parameter);
  CHECK(error_code(parse_pin_body(R"({"pin":"12345a"})"))
        == codes::invalid_parameter);
  CHECK(error_code(parse_pin_body(R"({"pin":123456})"))
        == codes::invalid_parameter);
  CHECK(error_code(parse_pin_body(R"({"pin":"123456","x":1})"))
        == codes::parameter_not_required);
  CHECK(error_code(parse_pin_body("not json")) == codes::invalid_parameter);
}

TEST_CASE("user update: the new password must pass the login policy") {
  CHECK(value(parse_password_update_body(R"({"password":"Secr3t!pass"})"))
        == "Secr3t!pass");
  CHECK(error_code(parse_password_update_body("{}"))
        == codes::missing_parameter);
  CHECK(error_code(parse_password_update_body(R"({"password":"short"})"))
        == codes::invalid_parameter);
  CHECK(error_code(parse_password_update_body(R"({"password":"alllowercase1!"})"))
        == codes::invalid_parameter);
  CHECK(error_code(parse_password_update_body(
          R"({"password":"Secr3t!pass","username":"x"})"))
        == codes::parameter_not_required);
}

TEST_CASE("profile about: 1 to 139 characters, counted as characters") {
  CHECK(value(parse_about_body(R"({"text":"Open 9-5"})")) == "Open 9-5");
  std::string max(139, 'a');
  CHECK(value(parse_about_body(R"({"text":")" + max + "\"}")) == max);
  CHECK(error_code(parse_about_body(R"({"text":")" + max + "a\"}"))
        == codes::invalid_parameter);
  // 139 two-byte characters are 139 characters, not 278.
  std::string wide;
  for (int i = 0; i < 139; ++i)
    wide += "\xc3\xa9";
  CHECK(value(parse_about_body(R"({"text":")" + wide + "\"}")) == wide);
  CHECK(error_code(parse_about_body(R"({"text":""})"))
        == codes::invalid_parameter);
  CHECK(error_code(parse_about_body("{}")) == codes::missing_parameter);
  CHECK(error_code(parse_about_body(R"({"about":"x"})"))
        == codes::parameter_not_required);
}

TEST_CASE("profile photo: JPEG and PNG by their first bytes, nothing else") {
  CHECK(value(photo_type("\xFF\xD8\xFF\xE0rest")) == "image/jpeg");
  CHECK(value(photo_type(std::string{"\x89PNG\r\n\x1A\n\0\0", 10}))
        == "image/png");
  CHECK(error_code(photo_type("")) == codes::missing_parameter);
  CHECK(error_code(photo_type("GIF89a....")) == codes::invalid_parameter);
  std::string huge(max_photo_bytes + 1, '\0');
  huge[0] = '\xFF';
  huge[1] = '\xD8';
  huge[2] = '\xFF';
  CHECK(error_code(photo_type(huge)) == codes::invalid_parameter);
}

TEST_CASE("business profile: fields are merged into what is stored and "
          "validated as the reference documents") {
  auto merged = value(merge_business_profile(
    "{}", R"({"address":"1 Main St","vertical":"Restaurant",)"
          R"("websites":["https://a.example","http://b.example"]})"));
  merged = value(merge_business_profile(
    merged, R"({"email":"shop@example.com","description":"Pizza"})"));
  rapidjson::Document doc;
  doc.Parse(business_profile_response_json(merged).c_str());
  REQUIRE(doc.IsObject());
  auto& p = doc["settings"]["business"]["profile"];
  CHECK(std::string{p["address"].GetString()} == "1 Main St");
  CHECK(std::string{p["vertical"].GetString()} == "Restaurant");
  CHECK(std::string{p["email"].GetString()} == "shop@example.com");
  CHECK(std::string{p["description"].GetString()} == "Pizza");
  CHECK(p["websites"].Size() == 2);
  // Unset fields come back empty.
  doc.Parse(business_profile_response_json("{}").c_str());
  CHECK(std::string{doc["settings"]["business"]["profile"]["email"].GetString()}
        == "");
  for (auto bad :
       {R"({"vertical":"Retail"})", R"({"email":"no-at-sign"})",
        R"({"websites":["https://a","https://b","https://c"]})",
        R"({"websites":["ftp://a.example"]})", R"({"address":1})"}) {
    CAPTURE(bad);
    CHECK(error_code(merge_business_profile("{}", bad))
          == codes::invalid_parameter);
  }
  CHECK(error_code(merge_business_profile(
          "{}", R"({"address":")" + std::string(257, 'a') + "\"}"))
        == codes::invalid_parameter);
  CHECK(error_code(merge_business_profile("{}", R"({"phone":"1"})"))
        == codes::parameter_not_required);
}
