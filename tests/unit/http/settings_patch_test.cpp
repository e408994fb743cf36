#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include "http/settings_patch.hpp"

using namespace mc;
using namespace mc::http;

namespace {

app_settings patched(std::string_view json, app_settings base = {}) {
  auto r = apply_settings_patch(base, json);
  if (auto err = std::get_if<api_error>(&r))
    FAIL_CHECK(err->details);
  REQUIRE(std::holds_alternative<app_settings>(r));
  return std::get<app_settings>(r);
}

void check_error(std::string_view json, int code, const std::string& details) {
  CAPTURE(json);
  auto r = apply_settings_patch(app_settings{}, json);
  REQUIRE(std::holds_alternative<api_error>(r));
  CHECK(std::get<api_error>(r).code == code);
  CHECK(std::get<api_error>(r).details == details);
  CHECK(std::get<api_error>(r).http_status == 400);
}

bool same(const app_settings& a, const app_settings& b) {
  return a.webhook_url == b.webhook_url
         && a.max_concurrent_requests == b.max_concurrent_requests
         && a.callback_persist == b.callback_persist
         && a.callback_backoff_delay_ms == b.callback_backoff_delay_ms
         && a.max_callback_backoff_delay_ms == b.max_callback_backoff_delay_ms
         && a.sent_status == b.sent_status
         && a.heartbeat_interval == b.heartbeat_interval
         && a.unhealthy_interval == b.unhealthy_interval;
}

} // namespace

TEST_CASE("a patch changes only the fields it names") {
  auto s = patched(R"({"webhooks":{"url":"https://hooks.example.com:8443/wa"}})");
  CHECK(s.webhook_url == "https://hooks.example.com:8443/wa");
  CHECK(same(patched("{}"), app_settings{}));
  app_settings expected;
  expected.webhook_url = "https://hooks.example.com:8443/wa";
  CHECK(same(s, expected));
  s = patched(R"({"callback_persist":false,"sent_status":true,)"
              R"("callback_backoff_delay_ms":"1000",)"
              R"("max_callback_backoff_delay_ms":60000,)"
              R"("heartbeat_interval":"0.5","unhealthy_interval":2,)"
              R"("webhooks":{"max_concurrent_requests":"12"}})",
              s);
  CHECK(s.webhook_url == "https://hooks.example.com:8443/wa"); // kept
  CHECK_FALSE(s.callback_persist);
  CHECK(s.sent_status);
  CHECK(s.callback_backoff_delay_ms == 1000);
  CHECK(s.max_callback_backoff_delay_ms == 60000);
  CHECK(s.heartbeat_interval == 0.5);
  CHECK(s.unhealthy_interval == 2.0);
  CHECK(s.max_concurrent_requests == 12);
  // An empty URL removes the webhook.
  CHECK(patched(R"({"webhooks":{"url":""}})", s).webhook_url.empty());
}

TEST_CASE("settings validation names the field") {
  check_error(R"({"callback_persist":"yes"})", 1009,
              "callback_persist must be a boolean, got a string");
  check_error(R"({"sent_status":null})", 1009,
              "sent_status must be a boolean, got null");
  check_error(R"({"webhooks":[]})", 1009,
              "webhooks must be an object, got an array");
  check_error(R"({"webhooks":{"url":5}})", 1009,
              "webhooks.url must be a string, got a number");
  check_error(R"({"webhooks":{"url":"ftp://x"}})", 1009,
              "webhooks.url must start with http:// or https://");
  check_error(R"({"webhooks":{"url":"webhook.example.com"}})", 1009,
              "webhooks.url must start with http:// or https://");
  check_error(R"({"webhooks":{"url":"https://"}})", 1009,
              "webhooks.url has no host");
  check_error(R"({"webhooks":{"url":"http://:80/x"}})", 1009,
              "webhooks.url has no host");
  check_error(R"({"webhooks":{"url":"http://a b"}})", 1009,
              "webhooks.url must not contain spaces or control characters");
  check_error(R"({"webhooks":{"url":"http://x/)" + std::string(3000, 'a')
                + R"("}})",
              1009, "webhooks.url is longer than 2048 bytes");
  for (auto bad : {"7", "0", "-6", "\"6x\"", "6.5", "true", "\"\""}) {
    check_error(std::string{R"({"webhooks":{"max_concurrent_requests":)"}
                  + bad + "}}",
                1009, "webhooks.max_concurrent_requests must be 6, 12, 18 "
                      "or 24");
  }
  check_error(R"({"callback_backoff_delay_ms":0})", 1009,
              "callback_backoff_delay_ms must be an integer number of "
              "milliseconds from 1 to 86400000");
  check_error(R"({"callback_backoff_delay_ms":"3e3"})", 1009,
              "callback_backoff_delay_ms must be an integer number of "
              "milliseconds from 1 to 86400000");
  check_error(R"({"max_callback_backoff_delay_ms":1.5})", 1009,
              "max_callback_backoff_delay_ms must be an integer number of "
              "milliseconds from 1 to 86400000");
  check_error(R"({"max_callback_backoff_delay_ms":1000})", 1009,
              "max_callback_backoff_delay_ms (1000) must not be less than "
              "callback_backoff_delay_ms (3000)");
  check_error(R"({"heartbeat_interval":0})", 1009,
              "heartbeat_interval must be a number of seconds from 0.05 to "
              "60");
  check_error(R"({"heartbeat_interval":"abc"})", 1009,
              "heartbeat_interval must be a number of seconds from 0.05 to "
              "60");
  check_error(R"({"unhealthy_interval":1000})", 1009,
              "unhealthy_interval must be a number of seconds from 0.1 to "
              "600");
  check_error(R"({"heartbeat_interval":2})", 1009,
              "unhealthy_interval must be greater than heartbeat_interval");
}

TEST_CASE("unknown settings and malformed bodies are refused") {
  check_error(R"({"passthrough":true})", 1010,
              "unknown field 'passthrough'");
  check_error(R"({"webhooks":{"secret":"x"}})", 1010,
              "unknown field 'webhooks.secret'");
  check_error("[]", 1009, "request body must be a JSON object, got an array");
  auto r = apply_settings_patch(app_settings{}, "{\"sent_status\":tru");
  REQUIRE(std::holds_alternative<api_error>(r));
  CHECK(std::get<api_error>(r).details.rfind("invalid JSON at offset", 0)
        == 0);
}

TEST_CASE("GET response has the On-Prem shape") {
  app_settings s;
  s.webhook_url = "https://x.example/hook";
  s.max_concurrent_requests = 18;
  rapidjson::Document doc;
  doc.Parse(settings_response_json(s).c_str());
  REQUIRE_FALSE(doc.HasParseError());
  auto& app = doc["settings"]["application"];
  CHECK(app["callback_backoff_delay_ms"].GetInt64() == 3000);
  CHECK(app["max_callback_backoff_delay_ms"].GetInt64() == 900000);
  CHECK(app["callback_persist"].GetBool());
  CHECK_FALSE(app["sent_status"].GetBool());
  CHECK(app["heartbeat_interval"].GetDouble() == 0.2);
  CHECK(app["unhealthy_interval"].GetDouble() == 1.0);
  CHECK(app["webhooks"]["max_concurrent_requests"].GetInt() == 18);
  CHECK(std::string{app["webhooks"]["url"].GetString()}
        == "https://x.example/hook");
  CHECK(std::string{doc["meta"]["api_status"].GetString()} == "stable");
}

TEST_CASE("settings round-trip through storage") {
  app_settings s;
  s.webhook_url = "http://10.0.0.1:9000/cb?x=\"1\"";
  s.max_concurrent_requests = 24;
  s.callback_persist = false;
  s.callback_backoff_delay_ms = 250;
  s.max_callback_backoff_delay_ms = 5000;
  s.sent_status = true;
  s.heartbeat_interval = 0.1;
  s.unhealthy_interval = 0.7;
  CHECK(same(settings_from_stored_json(settings_to_stored_json(s)), s));
  CHECK(same(settings_from_stored_json(settings_to_stored_json({})), {}));
}

TEST_CASE("stored settings tolerate missing, mistyped and garbage input") {
  CHECK(same(settings_from_stored_json(""), app_settings{}));
  CHECK(same(settings_from_stored_json("not json"), app_settings{}));
  CHECK(same(settings_from_stored_json("[1]"), app_settings{}));
  CHECK(same(settings_from_stored_json("{}"), app_settings{}));
  auto s = settings_from_stored_json(
    R"({"sent_status":true,"max_concurrent_requests":"12",)"
    R"("callback_backoff_delay_ms":-1,"webhook_url":"gopher://x",)"
    R"("heartbeat_interval":0.3})");
  CHECK(s.sent_status);                       // present and valid
  CHECK(s.max_concurrent_requests == 6);      // mistyped: default
  CHECK(s.callback_backoff_delay_ms == 3000); // out of range: default
  CHECK(s.webhook_url.empty());               // invalid URL: default
  CHECK(s.heartbeat_interval == 0.3);
  // Cross-field rules hold even for a hand-edited row.
  auto t = settings_from_stored_json(
    R"({"callback_backoff_delay_ms":5000,"max_callback_backoff_delay_ms":100,)"
    R"("heartbeat_interval":5,"unhealthy_interval":1})");
  CHECK(t.max_callback_backoff_delay_ms >= t.callback_backoff_delay_ms);
  CHECK(t.unhealthy_interval > t.heartbeat_interval);
}

TEST_CASE("callback backoff grows linearly to the cap (On-Prem rule)") {
  app_settings s; // 3000 ms base, 900000 ms cap
  CHECK(callback_backoff_ms(s, 0) == 0);
  CHECK(callback_backoff_ms(s, -3) == 0);
  CHECK(callback_backoff_ms(s, 1) == 3000);
  CHECK(callback_backoff_ms(s, 2) == 6000);
  CHECK(callback_backoff_ms(s, 3) == 9000);
  CHECK(callback_backoff_ms(s, 299) == 897000);
  CHECK(callback_backoff_ms(s, 300) == 900000);
  CHECK(callback_backoff_ms(s, 301) == 900000);
  CHECK(callback_backoff_ms(s, 2'000'000'000) == 900000); // no overflow
  s.callback_backoff_delay_ms = 3000;
  s.max_callback_backoff_delay_ms = 10000; // cap not a multiple of base
  CHECK(callback_backoff_ms(s, 3) == 9000);
  CHECK(callback_backoff_ms(s, 4) == 10000);
  int64_t prev = 0;
  for (int n = 1; n < 1000; ++n) {
    auto d = callback_backoff_ms(app_settings{}, n);
    CHECK(d >= prev);
    prev = d;
  }
}
