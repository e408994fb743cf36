#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include "http/settings_patch.hpp"

/// The On-Prem application settings beyond those of settings_patch_test:
/// webhooks.message toggles and the documented fields kept without effect.

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

int code(std::string_view json) {
  auto r = apply_settings_patch(app_settings{}, json);
  auto err = std::get_if<api_error>(&r);
  return err ? err->code : 0;
}

} // namespace

TEST_CASE("webhooks.message toggles are accepted and decide which statuses "
          "are posted") {
  auto s = patched(R"({"webhooks":{"message":{"sent":true,"delivered":false,)"
                   R"("read":false}}})");
  CHECK(s.webhook_sent);
  CHECK_FALSE(s.webhook_delivered);
  CHECK_FALSE(s.webhook_read);
  CHECK(status_wanted(s, "sent"));
  CHECK_FALSE(status_wanted(s, "delivered"));
  CHECK_FALSE(status_wanted(s, "read"));
  CHECK(status_wanted(s, "failed")); // never filtered
  app_settings d;
  CHECK_FALSE(status_wanted(d, "sent")); // sent_status defaults to false
  CHECK(status_wanted(d, "delivered"));
  CHECK(status_wanted(d, "read"));
  d.sent_status = true; // the older switch still turns "sent" on
  CHECK(status_wanted(d, "sent"));
  CHECK(code(R"({"webhooks":{"message":{"sent":"yes"}}})")
        == codes::invalid_parameter);
  CHECK(code(R"({"webhooks":{"message":{"failed":true}}})")
        == codes::parameter_not_required);
  CHECK(code(R"({"webhooks":{"message":[]}})") == codes::invalid_parameter);
}

TEST_CASE("documented fields without effect are validated, stored and "
          "returned") {
  auto s = patched(R"({"pass_through":true,"db_garbagecollector_enable":false,)"
                   R"("garbagecollector_enable":{"media":true,"messages":false},)"
                   R"("media":{"auto_download":["image","voice"]},)"
                   R"("on_call_pager":"16315551019",)"
                   R"("notify_user_change_number":true,)"
                   R"("show_security_notifications":true})");
  CHECK(s.pass_through);
  CHECK_FALSE(s.db_garbagecollector_enable);
  CHECK(s.garbagecollector_media);
  CHECK_FALSE(s.garbagecollector_messages);
  CHECK(s.media_auto_download == std::vector<std::string>{"image", "voice"});
  CHECK(s.on_call_pager == "16315551019");
  CHECK(s.notify_user_change_number);
  CHECK(s.show_security_notifications);
  auto back = settings_from_stored_json(settings_to_stored_json(s));
  CHECK(back.pass_through);
  CHECK_FALSE(back.db_garbagecollector_enable);
  CHECK(back.garbagecollector_media);
  CHECK(back.media_auto_download == s.media_auto_download);
  CHECK(back.on_call_pager == s.on_call_pager);
  CHECK(back.show_security_notifications);
  rapidjson::Document doc;
  doc.Parse(settings_response_json(s).c_str());
  REQUIRE(doc.IsObject());
  auto& app = doc["settings"]["application"];
  CHECK(app["pass_through"].GetBool());
  CHECK(app["media"]["auto_download"].Size() == 2);
  CHECK(app["garbagecollector_enable"]["media"].GetBool());
  CHECK(std::string{app["on_call_pager"].GetString()} == "16315551019");
  CHECK(app["webhooks"]["message"]["delivered"].GetBool());
  for (auto bad : {R"({"pass_through":1})",
                   R"({"media":{"auto_download":["gif"]}})",
                   R"({"media":{"auto_download":["image","image"]}})",
                   R"({"media":{"auto_download":"image"}})",
                   R"({"garbagecollector_enable":{"media":"no"}})",
                   R"({"on_call_pager":"+1 631"})"}) {
    CAPTURE(bad);
    CHECK(code(bad) == codes::invalid_parameter);
  }
  CHECK(code(R"({"media":{"provider":"x"}})") == codes::parameter_not_required);
  CHECK(code(R"({"garbagecollector_enable":{"logs":true}})")
        == codes::parameter_not_required);
}
