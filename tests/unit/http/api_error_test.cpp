#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include "http/api_error.hpp"

using namespace mc::http;

TEST_CASE("api errors carry the On-Prem title and HTTP status") {
  struct row { int code; int status; const char* title; };
  for (auto r : {row{codes::access_denied, 401, "Access denied"},
                 row{codes::not_found, 404, "Resource not found"},
                 row{codes::missing_parameter, 400,
                     "Required parameter is missing"},
                 row{codes::invalid_parameter, 400,
                     "Parameter value is not valid"},
                 row{codes::parameter_not_required, 400,
                     "Parameter is not required"},
                 row{codes::message_too_long, 400, "Message too long"},
                 row{codes::not_ready, 503, "Service not ready"},
                 row{codes::internal, 500, "Internal error"},
                 row{codes::too_many_requests, 429, "Too many requests"},
                 row{codes::overloaded, 503, "System overloaded"},
                 row{codes::not_primary_master, 503, "Not Primary Master"},
                 row{codes::not_owner, 503, "Not Primary Coreapp"},
                 row{codes::generic, 500, "Generic error"},
                 row{codes::already_exists, 409, "Resource already exists"}}) {
    CAPTURE(r.code);
    auto e = make_api_error(r.code, "why");
    CHECK(e.code == r.code);
    CHECK(e.http_status == r.status);
    CHECK(e.title == r.title);
    CHECK(e.details == "why");
  }
  CHECK(make_api_error(4242, "x").http_status == 500);
  CHECK(make_api_error(4242, "x").title == "Generic error");
}

TEST_CASE("the HTTP status can be overridden (403 for admin-only)") {
  auto e = make_api_error(codes::access_denied, "admin only", 403);
  CHECK(e.http_status == 403);
  CHECK(e.code == 1005);
  CHECK(e.title == "Access denied");
}

TEST_CASE("to_json has the On-Prem error shape and escapes details") {
  auto e = make_api_error(codes::invalid_parameter,
                          "bad \"to\"\n\\ </script> \x01 ok");
  auto json = to_json(e);
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc["errors"].IsArray());
  REQUIRE(doc["errors"].Size() == 1);
  auto& err = doc["errors"][0];
  CHECK(err["code"].GetInt() == 1009);
  CHECK(std::string{err["title"].GetString()}
        == "Parameter value is not valid");
  CHECK(std::string{err["details"].GetString()}
        == "bad \"to\"\n\\ </script> \x01 ok");
  CHECK(std::string{doc["meta"]["api_status"].GetString()} == "stable");
  CHECK(std::string{doc["meta"]["version"].GetString()} == MC_VERSION);
}

TEST_CASE("to_json stays valid JSON with ill-formed UTF-8 in details") {
  auto json = to_json(make_api_error(codes::generic, "a\xff\xfe" "b\xc3"));
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  CHECK(std::string{doc["errors"][0]["details"].GetString()}
        == "a\xEF\xBF\xBD\xEF\xBF\xBD" "b\xEF\xBF\xBD");
}

TEST_CASE("meta fields splice into an object") {
  CHECK(meta_json_fields()
        == std::string{"\"meta\":{\"api_status\":\"stable\",\"version\":\""}
             + MC_VERSION + "\"}");
  rapidjson::Document doc;
  doc.Parse(ok_json().c_str());
  REQUIRE_FALSE(doc.HasParseError());
  CHECK(doc.MemberCount() == 1);
  CHECK(std::string{doc["meta"]["version"].GetString()} == MC_VERSION);
}
