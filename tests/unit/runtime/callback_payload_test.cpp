#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include "runtime/callback_payload.hpp"

using namespace mc;
using namespace mc;

namespace {

rapidjson::Document parse(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc.IsObject());
  return doc;
}

std::string str(const rapidjson::Value& v) {
  REQUIRE(v.IsString());
  return {v.GetString(), v.GetStringLength()};
}

} // namespace

TEST_CASE("a status batch has the On-Prem shape") {
  std::vector<std::string> statuses{
    status_event_json({"gBEGkYiEB1VXAglK1ZEqA1YKPrU", "16315555555", "sent",
                       1518694700}),
    status_event_json({"id2", "16315555556", "delivered", 1518694701}),
  };
  auto doc = parse(webhook_body(statuses, {}));
  CHECK_FALSE(doc.HasMember("messages"));
  CHECK_FALSE(doc.HasMember("contacts"));
  auto& arr = doc["statuses"];
  REQUIRE(arr.Size() == 2);
  CHECK(str(arr[0]["id"]) == "gBEGkYiEB1VXAglK1ZEqA1YKPrU");
  CHECK(str(arr[0]["recipient_id"]) == "16315555555");
  CHECK(str(arr[0]["status"]) == "sent");
  CHECK(str(arr[0]["timestamp"]) == "1518694700"); // a string, as On-Prem
  CHECK(str(arr[1]["status"]) == "delivered");
  CHECK(arr[0].MemberCount() == 4);
}

TEST_CASE("a failed status carries its error") {
  status_event e{"id3", "1555", "failed", 1518694702, 470,
                 "Message failed to send because more than 24 hours have "
                 "passed since the customer last replied to this number"};
  auto doc = parse(webhook_body({status_event_json(e)}, {}));
  auto& st = doc["statuses"][0];
  CHECK(str(st["status"]) == "failed");
  REQUIRE(st["errors"].Size() == 1);
  CHECK(st["errors"][0]["code"].GetInt() == 470);
  CHECK(str(st["errors"][0]["title"]) == e.error_title);
}

TEST_CASE("an inbound batch has contacts and text messages") {
  std::vector<std::string> messages{
    inbound_event_json({"ABGGFlA5FpafAgo6EhvWVz", "16315551234",
                        "Hello \"there\"\n\xf0\x9f\x98\x80", 1518694235,
                        "Kerry Fisher"}),
    inbound_event_json({"m2", "16315551234", "again", 1518694236, "Kerry Fisher"}),
    inbound_event_json({"m3", "4930123456", "hallo", 1518694237, ""}),
  };
  auto doc = parse(webhook_body({}, messages));
  CHECK_FALSE(doc.HasMember("statuses"));
  auto& contacts = doc["contacts"];
  REQUIRE(contacts.Size() == 2); // one per distinct sender
  CHECK(str(contacts[0]["profile"]["name"]) == "Kerry Fisher");
  CHECK(str(contacts[0]["wa_id"]) == "16315551234");
  CHECK(str(contacts[1]["profile"]["name"]) == "4930123456"); // no name
  CHECK(str(contacts[1]["wa_id"]) == "4930123456");
  auto& msgs = doc["messages"];
  REQUIRE(msgs.Size() == 3);
  CHECK(str(msgs[0]["from"]) == "16315551234");
  CHECK(str(msgs[0]["id"]) == "ABGGFlA5FpafAgo6EhvWVz");
  CHECK(str(msgs[0]["timestamp"]) == "1518694235");
  CHECK(str(msgs[0]["text"]["body"]) == "Hello \"there\"\n\xf0\x9f\x98\x80");
  CHECK(str(msgs[0]["type"]) == "text");
  CHECK(str(msgs[2]["id"]) == "m3");
}

TEST_CASE("mixed batches, empty batches and corrupt rows") {
  auto doc = parse(webhook_body(
    {status_event_json({"s1", "1", "read", 5}), "{not json", "[]",
     R"({"id":"x"})"},
    {inbound_event_json({"m1", "2", "hi", 6, ""}), "\xff\xfe"}));
  CHECK(doc["statuses"].Size() == 1);
  CHECK(doc["messages"].Size() == 1);
  CHECK(doc["contacts"].Size() == 1);
  CHECK(webhook_body({}, {}) == "{}");
  CHECK(webhook_body({"garbage"}, {"garbage"}) == "{}");
}

TEST_CASE("stored events are valid JSON even with ill-formed text") {
  auto json = inbound_event_json({"m\"1", "2", "bad \xc3 utf8", 7, ""});
  auto doc = parse(json);
  CHECK(str(doc["id"]) == "m\"1");
  CHECK(str(doc["body"]) == "bad \xEF\xBF\xBD utf8");
  CHECK(doc["timestamp"].GetInt64() == 7);
}
