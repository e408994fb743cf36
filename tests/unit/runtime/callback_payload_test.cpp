#include <doctest/doctest.h>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "runtime/callback_payload.hpp"
#include "runtime/inbound_payload.hpp"

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

std::string compact(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  v.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

/// The message object of `example`'s first message less from, id and
/// timestamp: what the upstream hands over as the payload.
std::string payload_of(const rapidjson::Document& example) {
  rapidjson::Document m;
  m.CopyFrom(example["messages"][0], m.GetAllocator());
  m.RemoveMember("from");
  m.RemoveMember("id");
  m.RemoveMember("timestamp");
  return compact(m);
}

/// Rebuilds a reference example through the stored form and the webhook
/// builder; the body must equal the example (objects compare by members).
void check_roundtrip(const char* example_json) {
  auto example = parse(example_json);
  auto& m = example["messages"][0];
  std::string name;
  if (example.HasMember("contacts"))
    name = str(example["contacts"][0]["profile"]["name"]);
  inbound_event e{str(m["id"]), str(m["from"]), payload_of(example),
                  std::stoll(str(m["timestamp"])), name};
  auto body = webhook_body({}, {inbound_event_json(e)});
  auto got = parse(body);
  CHECK_MESSAGE(got == example, body, " != ", compact(example));
}

} // namespace

// The examples below are those of the On-Prem reference, "Inbound Webhook
// Notifications": developers.facebook.com/docs/whatsapp/api/webhooks/inbound.

TEST_CASE("a text message has the reference's shape") {
  check_roundtrip(R"({
    "contacts": [{"profile": {"name": "Kerry Fisher"}, "wa_id": "16315551234"}],
    "messages": [{"from": "16315551234", "id": "ABGGFlA5FpafAgo6tHcNmNjXmuSf",
      "timestamp": "1518694235", "text": {"body": "Hello this is an answer"},
      "type": "text"}]})");
}

TEST_CASE("media messages carry id, mime_type, sha256 and caption or "
          "filename") {
  check_roundtrip(R"({
    "contacts": [{"profile": {"name": "Kerry Fisher"}, "wa_id": "16315551234"}],
    "messages": [{"from": "16315551234", "id": "ABGGFlA5FpafAgo6tHcNmNjXmuSf",
      "image": {"id": "b1c68f38-8734-4ad3-b4a1-ef0c10d683",
        "mime_type": "image/jpeg",
        "sha256": "29ed500fa64eb55fc19dc4124acb300e5dcc54a0f822a301ae99944db",
        "caption": "Check out my new phone!"},
      "timestamp": "1521497954", "type": "image"}]})");
  check_roundtrip(R"({
    "contacts": [{"profile": {"name": "Kerry Fisher"}, "wa_id": "16315551234"}],
    "messages": [{"from": "16315551234", "id": "ABGGFlA5FpafAgo6tHcNmNjXmuSf",
      "document": {"id": "fc233119-733f-49c-bcbd-b2f68f798e33",
        "mime_type": "application/pdf",
        "sha256": "3b11fa6ef2bde1dd14726e09d3edaf782120919d06f6484f32d5d5caa4b8e",
        "caption": "80skaraokesonglistartist",
        "filename": "80skaraokesonglistartist.pdf"},
      "timestamp": "1522189546", "type": "document"}]})");
  check_roundtrip(R"({
    "contacts": [{"profile": {"name": "Kerry Fisher"}, "wa_id": "16315551234"}],
    "messages": [{"from": "16315551234", "id": "ABGGFlA5FpafAgo6tHcNmNjXmuSf",
      "voice": {"id": "463e/file.ogg", "mime_type": "audio/ogg; codecs=opus",
        "sha256": "fa9e1807d936b7cebe63654ea3a7912b1fa9479220258d823590521ef53b0710"},
      "timestamp": "1521827831", "type": "voice"}]})");
  for (auto* type : {"audio", "video", "sticker"}) {
    std::string t = type;
    check_roundtrip(("{\"contacts\":[{\"profile\":{\"name\":\"K\"},"
                     "\"wa_id\":\"1\"}],\"messages\":[{\"from\":\"1\","
                     "\"id\":\"m\",\"timestamp\":\"5\",\"type\":\"" + t
                     + "\",\"" + t + "\":{\"id\":\"x\",\"mime_type\":\"a/b\","
                       "\"sha256\":\"00ff\"}}]}").c_str());
  }
}

TEST_CASE("location, contacts, reaction, interactive and button replies") {
  check_roundtrip(R"({
    "contacts": [{"profile": {"name": "Kerry Fisher"}, "wa_id": "16315551234"}],
    "messages": [{"from": "16315551234", "id": "ABGGFlA5FpafAgo6tHcNmNjXmuSf",
      "location": {"address": "Main Street Beach, Santa Cruz, CA",
        "latitude": 38.9806263495, "longitude": -131.9428612257,
        "name": "Main Street Beach",
        "url": "https://foursquare.com/v/4d7031d35b5df7744"},
      "timestamp": "1521497875", "type": "location"}]})");
  check_roundtrip(R"({
    "contacts": [{"profile": {"name": "Kerry Fisher"}, "wa_id": "16315551234"}],
    "messages": [{"contacts": [{
        "addresses": [{"city": "Menlo Park", "country": "United States",
          "country_code": "us", "state": "CA", "street": "1 Hacker Way",
          "type": "WORK", "zip": "94025"}],
        "birthday": "2012-08-18",
        "emails": [{"email": "kfish@fb.com", "type": "WORK"}],
        "name": {"first_name": "Kerry", "formatted_name": "Kerry Fisher",
          "last_name": "Fisher"},
        "org": {"company": "Facebook"},
        "phones": [{"phone": "+1 (940) 555-1234", "type": "CELL"},
          {"phone": "+1 (650) 555-1234", "type": "WORK",
           "wa_id": "16505551234"}],
        "urls": [{"url": "https://www.facebook.com", "type": "WORK"}]}],
      "from": "16315551234", "id": "ABGGFlA4dSRvAgo6C4Z53hMh1ugR",
      "timestamp": "1537248012", "type": "contacts"}]})");
  check_roundtrip(R"({
    "contacts": [{"profile": {"name": "Kerry Fisher"}, "wa_id": "16315551234"}],
    "messages": [{"context": {"from": "16315558007",
        "id": "gBGGFmkiWVVPAgkgQkwi7IORac0"},
      "from": "16315551234", "id": "ABGGFmkiWVVPAgo-sKD87hgxPHdF",
      "interactive": {"list_reply": {"description": "Row 1 description",
          "id": "row-id-1", "title": "Row 1 title"}, "type": "list_reply"},
      "timestamp": "1604968554", "type": "interactive"}]})");
  check_roundtrip(R"({
    "contacts": [{"profile": {"name": "Kerry Fisher"}, "wa_id": "16315551234"}],
    "messages": [{"context": {"from": "16315558007",
        "id": "gBGGFmkiWVVPAgkgQkwi7IORac0"},
      "from": "16315551234", "id": "ABGGFmkiWVVPAgo-sKD87hgxPHdF",
      "interactive": {"button_reply": {"id": "unique-id-123", "title": "Yes"},
        "type": "button_reply"},
      "timestamp": "1604968554", "type": "interactive"}]})");
  check_roundtrip(R"({
    "contacts": [{"profile": {"name": "Kerry Fisher"}, "wa_id": "16315551234"}],
    "messages": [{"button": {"payload": "No-Button-Payload", "text": "No"},
      "context": {"from": "16315558007", "id": "gBGGFmkiWVVPAgkgQkwi7IORac0"},
      "from": "16315551234", "id": "ABGGFmkiWVVPAgo-sKD87hgxPHdF",
      "timestamp": "1591210827", "type": "button"}]})");
  check_roundtrip(R"({
    "contacts": [{"profile": {"name": "Kerry Fisher"}, "wa_id": "16315551234"}],
    "messages": [{"from": "16315551234", "id": "ABGGFmkiWVVPAgo-sKD87hgxPHdF",
      "reaction": {"emoji": "\ud83d\udc4d",
        "message_id": "gBGGFmkiWVVPAgkgQkwi7IORac0"},
      "timestamp": "1591210827", "type": "reaction"}]})");
}

TEST_CASE("a system message comes without a contact; unknown carries its "
          "errors") {
  check_roundtrip(R"({
    "messages": [{"from": "16315551234", "id": "ABGGFjFVU2AfAgo6V-Hc5eCgK5Gh",
      "system": {"body": "User A changed from +1 (631) 555-1234 to +1 (631) 555-4321",
        "new_wa_id": "16315554321", "type": "user_changed_number"},
      "timestamp": "1618666603", "type": "system"}]})");
  check_roundtrip(R"({
    "contacts": [{"profile": {"name": "Kerry Fisher"}, "wa_id": "16315551234"}],
    "messages": [{"errors": [{"code": 501,
        "details": "Message type is not currently supported",
        "title": "Unknown message type"}],
      "from": "16315551234", "id": "ABGGFRBzFymPAgo6N9KKs7HsN6eB",
      "timestamp": "1531933468", "type": "unknown"}]})");
}

TEST_CASE("a payload that is not a carried type is reported as unknown") {
  for (auto* bad : {"not json", R"({"type":"fax","fax":{}})",
                    R"({"type":"image"})", R"({"type":"contacts","contacts":{}})"}) {
    auto doc = parse(webhook_body({}, {inbound_event_json({"m", "1", bad, 5})}));
    auto& m = doc["messages"][0];
    CHECK(str(m["type"]) == "unknown");
    CHECK(m["errors"][0]["code"].GetInt() == 501);
    CHECK(str(m["id"]) == "m");
  }
}

TEST_CASE("an inbound batch has one contact per distinct sender") {
  std::vector<std::string> messages{
    inbound_event_json({"m1", "16315551234",
                        text_payload("Hello \"there\"\n\xf0\x9f\x98\x80"),
                        1518694235, "Kerry Fisher"}),
    inbound_event_json({"m2", "16315551234", text_payload("again"), 1518694236,
                        "Kerry Fisher"}),
    inbound_event_json({"m3", "4930123456", text_payload("hallo"), 1518694237}),
  };
  auto doc = parse(webhook_body({}, messages));
  CHECK_FALSE(doc.HasMember("statuses"));
  auto& contacts = doc["contacts"];
  REQUIRE(contacts.Size() == 2);
  CHECK(str(contacts[0]["profile"]["name"]) == "Kerry Fisher");
  CHECK(str(contacts[1]["profile"]["name"]) == "4930123456"); // no name
  auto& msgs = doc["messages"];
  REQUIRE(msgs.Size() == 3);
  CHECK(str(msgs[0]["text"]["body"]) == "Hello \"there\"\n\xf0\x9f\x98\x80");
  CHECK(str(msgs[2]["id"]) == "m3");
}

TEST_CASE("a row stored before messages carried their object reads as text") {
  auto doc = parse(webhook_body(
    {}, {R"({"id":"old","from":"1555","body":"hi","timestamp":7})"}));
  CHECK(str(doc["messages"][0]["type"]) == "text");
  CHECK(str(doc["messages"][0]["text"]["body"]) == "hi");
  CHECK(str(doc["contacts"][0]["wa_id"]) == "1555");
}

// Statuses: developers.facebook.com/docs/whatsapp/api/webhooks/outbound.

TEST_CASE("sent and delivered carry conversation and pricing, read none") {
  status_event sent{"gBGGFlA5FpafAgo6tHcNmNjXmuSf", "16315555555", "sent",
                    1518694700};
  sent.conversation_id = "532b57b5f6e63595ccd74c6010e5c5c7";
  sent.conversation_origin = "business_initiated";
  sent.conversation_expiration = 1518781100;
  auto delivered = sent;
  delivered.status = "delivered";
  delivered.timestamp = 1518694708;
  delivered.conversation_expiration = 0;
  status_event read{"gBGGFlA5FpafAgo6tHcNmNjXmuSf", "16315555555", "read",
                    1518694722};
  auto got = parse(webhook_body({status_event_json(sent),
                                 status_event_json(delivered),
                                 status_event_json(read)},
                                {}));
  auto expected = parse(R"({"statuses": [
    {"conversation": {"id": "532b57b5f6e63595ccd74c6010e5c5c7",
       "expiration_timestamp": "1518781100",
       "origin": {"type": "business_initiated"}},
     "id": "gBGGFlA5FpafAgo6tHcNmNjXmuSf",
     "pricing": {"billable": true, "pricing_model": "CBP",
       "category": "business_initiated"},
     "recipient_id": "16315555555", "status": "sent",
     "timestamp": "1518694700"},
    {"conversation": {"id": "532b57b5f6e63595ccd74c6010e5c5c7",
       "origin": {"type": "business_initiated"}},
     "id": "gBGGFlA5FpafAgo6tHcNmNjXmuSf",
     "pricing": {"billable": true, "pricing_model": "CBP",
       "category": "business_initiated"},
     "recipient_id": "16315555555", "status": "delivered",
     "timestamp": "1518694708"},
    {"id": "gBGGFlA5FpafAgo6tHcNmNjXmuSf", "recipient_id": "16315555555",
     "status": "read", "timestamp": "1518694722"}]})");
  CHECK_MESSAGE(got == expected, compact(got));
  CHECK_FALSE(got.HasMember("messages"));
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
  CHECK_FALSE(st.HasMember("conversation"));
}

TEST_CASE("mixed batches, empty batches and corrupt rows") {
  auto doc = parse(webhook_body(
    {status_event_json({"s1", "1", "read", 5}), "{not json", "[]",
     R"({"id":"x"})"},
    {inbound_event_json({"m1", "2", text_payload("hi"), 6}), "\xff\xfe"}));
  CHECK(doc["statuses"].Size() == 1);
  CHECK(doc["messages"].Size() == 1);
  CHECK(doc["contacts"].Size() == 1);
  CHECK(webhook_body({}, {}) == "{}");
  CHECK(webhook_body({"garbage"}, {"garbage"}) == "{}");
}

TEST_CASE("stored events are valid JSON even with ill-formed text") {
  auto json = inbound_event_json({"m\"1", "2", text_payload("bad \xc3 utf8"), 7});
  auto doc = parse(json);
  CHECK(str(doc["id"]) == "m\"1");
  CHECK(str(doc["message"]["text"]["body"]) == "bad \xEF\xBF\xBD utf8");
  CHECK(doc["timestamp"].GetInt64() == 7);
}

TEST_CASE("a BSUID is reported under the Cloud names, and only when given") {
  status_event s{"gBEGkYiEB1VXAglK1ZEqA1YKPrU", "16315551234", "read", 1};
  inbound_event m{"wamid.A", "16315551234",
                  R"({"type":"text","text":{"body":"hi"}})", 2, "Kerry"};
  // Without one: the On-Prem shape, byte for byte.
  auto plain_status = status_event_json(s);
  auto plain_message = inbound_event_json(m);
  CHECK(plain_status
        == R"({"id":"gBEGkYiEB1VXAglK1ZEqA1YKPrU","recipient_id":)"
           R"("16315551234","status":"read","timestamp":1})");
  CHECK(webhook_body({plain_status}, {plain_message})
        == R"({"statuses":[{"id":"gBEGkYiEB1VXAglK1ZEqA1YKPrU",)"
           R"("recipient_id":"16315551234","status":"read","timestamp":"1"}],)"
           R"("contacts":[{"profile":{"name":"Kerry"},"wa_id":"16315551234"}],)"
           R"("messages":[{"from":"16315551234","id":"wamid.A","timestamp":)"
           R"("2","type":"text","text":{"body":"hi"}}]})");
  // With one (developers.facebook.com/documentation/business-messaging/
  // whatsapp/business-scoped-user-ids: recipient_user_id, user_id,
  // from_user_id).
  s.recipient_user_id = "US.13491208655302741918";
  m.user_id = "US.13491208655302741918";
  auto body = parse(webhook_body({status_event_json(s)},
                                 {inbound_event_json(m)}));
  CHECK(str(body["statuses"][0]["recipient_user_id"])
        == "US.13491208655302741918");
  CHECK(str(body["statuses"][0]["recipient_id"]) == "16315551234");
  CHECK(str(body["contacts"][0]["user_id"]) == "US.13491208655302741918");
  CHECK(str(body["contacts"][0]["wa_id"]) == "16315551234");
  CHECK(str(body["messages"][0]["from_user_id"])
        == "US.13491208655302741918");
  CHECK(str(body["messages"][0]["text"]["body"]) == "hi");
}
