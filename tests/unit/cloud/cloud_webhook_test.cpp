#include <doctest/doctest.h>

#include <string>

#include <rapidjson/document.h>

#include "actors/protocol/errors.hpp"
#include "runtime/cloud/cloud_webhook.hpp"
#include "runtime/inbound_payload.hpp"
#include "runtime/onprem_codes.hpp"

using namespace mc;

// Bodies follow the Cloud API's webhook examples (developers.facebook.com/
// docs/whatsapp/cloud-api/webhooks/payload-examples and .../webhooks/
// reference/messages, status .../webhooks/reference/messages/status), the
// BSUID ones developers.facebook.com/documentation/business-messaging/
// whatsapp/business-scoped-user-ids; expected payloads the On-Prem
// inbound webhook's (developers.facebook.com/docs/whatsapp/api/webhooks/
// inbound).

namespace {

constexpr const char* wamid
  = "wamid.HBgLMTY1MDUwNzY1MjAVAgIAEhgWM0VCMDZGRjc1QTJDQUNCQTAzMDBCMgA=";

/// A webhook body with one change whose value holds `value_members`.
std::string webhook(const std::string& value_members) {
  return R"({"object":"whatsapp_business_account","entry":[{"id":)"
         R"("102290129340398","changes":[{"value":{"messaging_product":)"
         R"("whatsapp","metadata":{"display_phone_number":"15550783881",)"
         R"("phone_number_id":"106540352242922"},)"
         + value_members + R"(},"field":"messages"}]}]})";
}

/// A body with one message from 16505551234 (profile "Sheena Nelson").
std::string message_webhook(const std::string& message_members) {
  return webhook(R"("contacts":[{"profile":{"name":"Sheena Nelson"},)"
                 R"("wa_id":"16505551234"}],"messages":[{"from":)"
                 R"("16505551234","id":")" + std::string{wamid}
                 + R"(","timestamp":"1683229471",)" + message_members
                 + "}]");
}

cloud_webhook_batch parsed(const std::string& body) {
  auto r = parse_cloud_webhook(body);
  REQUIRE(r);
  return *r;
}

bool same_json(const std::string& got, const std::string& want) {
  rapidjson::Document a, b;
  a.Parse(got.c_str());
  b.Parse(want.c_str());
  REQUIRE_FALSE(a.HasParseError());
  REQUIRE_FALSE(b.HasParseError());
  if (a != b)
    MESSAGE("got  " << got << "\nwant " << want);
  return a == b;
}

/// The payload of the only message of `body`, checked to be one the
/// callback path carries as `type`.
std::string payload_of(const std::string& body, const std::string& type) {
  auto b = parsed(body);
  REQUIRE(b.messages.size() == 1);
  auto& m = b.messages[0].message;
  CHECK(m.id == wamid);
  CHECK(m.timestamp == 1683229471);
  auto t = inbound_type(m.payload);
  REQUIRE(t);
  CHECK(*t == type);
  return m.payload;
}

} // namespace

TEST_CASE("a text message with its sender's profile") {
  auto b = parsed(message_webhook(R"("type":"text","text":{"body":)"
                                  R"("this is a text message"})"));
  CHECK(b.phone_number_id == "106540352242922");
  REQUIRE(b.messages.size() == 1);
  CHECK(b.statuses.empty());
  auto& in = b.messages[0];
  CHECK(in.message.from == "16505551234");
  CHECK(in.message.profile_name == "Sheena Nelson");
  CHECK(in.from_user_id.empty());
  CHECK(in.phone_number_id == "106540352242922");
  CHECK(same_json(in.message.payload,
                  R"({"type":"text","text":{"body":)"
                  R"("this is a text message"}})"));
}

TEST_CASE("media messages keep id, mime_type, sha256, caption") {
  auto p = payload_of(
    message_webhook(R"("type":"image","image":{"caption":"Hi","mime_type":)"
                    R"("image/jpeg","sha256":"yhRGSw4W1eIOvpDUEHbBjbDY",)"
                    R"("id":"1479537139650973","url":"https://lookaside"})"),
    "image");
  CHECK(same_json(p, R"({"type":"image","image":{"id":"1479537139650973",)"
                     R"("mime_type":"image/jpeg","sha256":)"
                     R"("yhRGSw4W1eIOvpDUEHbBjbDY","caption":"Hi"}})"));
  CHECK(parsed(message_webhook(R"("type":"image","image":{"id":"1479"})"))
          .messages[0].media_id == "1479");
  p = payload_of(
    message_webhook(R"("type":"document","document":{"filename":"a.pdf",)"
                    R"("mime_type":"application/pdf","sha256":"h","id":"d1"})"),
    "document");
  CHECK(same_json(p, R"({"type":"document","document":{"id":"d1",)"
                     R"("mime_type":"application/pdf","sha256":"h",)"
                     R"("filename":"a.pdf"}})"));
  p = payload_of(
    message_webhook(R"("type":"sticker","sticker":{"mime_type":"image/webp",)"
                    R"("sha256":"h","id":"s1","animated":false})"),
    "sticker");
  CHECK(same_json(p, R"({"type":"sticker","sticker":{"id":"s1","mime_type":)"
                     R"("image/webp","sha256":"h"}})"));
  for (auto t : {"audio", "video"}) {
    std::string type = t;
    p = payload_of(message_webhook(R"("type":")" + type + R"(",")" + type
                                   + R"(":{"id":"m1","mime_type":"x/y",)"
                                     R"("sha256":"h"})"),
                   type);
    CHECK(same_json(p, R"({"type":")" + type + R"(",")" + type
                         + R"(":{"id":"m1","mime_type":"x/y","sha256":"h"}})"));
  }
}

TEST_CASE("a voice note is On-Prem's voice type") {
  auto p = payload_of(
    message_webhook(R"("type":"audio","audio":{"mime_type":)"
                    R"("audio/ogg; codecs=opus","sha256":"h","id":"v1",)"
                    R"("voice":true})"),
    "voice");
  CHECK(same_json(p, R"({"type":"voice","voice":{"id":"v1","mime_type":)"
                     R"("audio/ogg; codecs=opus","sha256":"h"}})"));
}

TEST_CASE("location and contacts") {
  auto p = payload_of(
    message_webhook(R"("type":"location","location":{"latitude":37.483,)"
                    R"("longitude":-122.148,"name":"Main Street Beach",)"
                    R"("address":"5 Main Street, Santa Cruz, CA"})"),
    "location");
  CHECK(same_json(p, R"({"type":"location","location":{"latitude":37.483,)"
                     R"("longitude":-122.148,"name":"Main Street Beach",)"
                     R"("address":"5 Main Street, Santa Cruz, CA"}})"));
  std::string cards
    = R"([{"name":{"formatted_name":"Barbara J. Johnson","first_name":)"
      R"("Barbara"},"phones":[{"phone":"+1 (415) 555-0123","wa_id":)"
      R"("14155550123","type":"MOBILE"}]}])";
  p = payload_of(message_webhook(R"("type":"contacts","contacts":)" + cards),
                 "contacts");
  CHECK(same_json(p, R"({"type":"contacts","contacts":)" + cards + "}"));
}

TEST_CASE("interactive replies, template buttons and reactions, with "
          "context") {
  std::string ctx = R"("context":{"from":"15550783881","id":)"
                    R"("wamid.HBgLMTY0NjcwNDM1OTUVAgARGBIyNTZCMDNCQzY1"})";
  auto p = payload_of(
    message_webhook(ctx + R"(,"type":"interactive","interactive":{"type":)"
                          R"("button_reply","button_reply":{"id":)"
                          R"("unique-button-identifier-here","title":)"
                          R"("button-text"}})"),
    "interactive");
  CHECK(same_json(p, R"({"type":"interactive","interactive":{"type":)"
                     R"("button_reply","button_reply":{"id":)"
                     R"("unique-button-identifier-here","title":)"
                     R"("button-text"}},)" + ctx + "}"));
  p = payload_of(
    message_webhook(R"("type":"interactive","interactive":{"type":)"
                    R"("list_reply","list_reply":{"id":"list_reply_id",)"
                    R"("title":"list_reply_title","description":"d"}})"),
    "interactive");
  CHECK(same_json(p, R"({"type":"interactive","interactive":{"type":)"
                     R"("list_reply","list_reply":{"id":"list_reply_id",)"
                     R"("title":"list_reply_title","description":"d"}}})"));
  p = payload_of(message_webhook(ctx + R"(,"type":"button","button":{)"
                                       R"("text":"No","payload":)"
                                       R"("No-Button-Payload"})"),
                 "button");
  CHECK(same_json(p, R"({"type":"button","button":{"text":"No","payload":)"
                     R"("No-Button-Payload"},)" + ctx + "}"));
  p = payload_of(message_webhook(R"("type":"reaction","reaction":{)"
                                 R"("message_id":"wamid.X","emoji":)"
                                 R"("\uD83D\uDE00"})"),
                 "reaction");
  CHECK(same_json(p, R"({"type":"reaction","reaction":{"message_id":)"
                     R"("wamid.X","emoji":"\uD83D\uDE00"}})"));
}

TEST_CASE("a system message") {
  auto p = payload_of(
    message_webhook(R"("type":"system","system":{"body":"NAME changed from )"
                    R"(16505551234 to 16505550000","new_wa_id":)"
                    R"("16505550000","type":"user_changed_number"})"),
    "system");
  CHECK(same_json(p, R"({"type":"system","system":{"body":"NAME changed )"
                     R"(from 16505551234 to 16505550000","type":)"
                     R"("user_changed_number","new_wa_id":"16505550000"}})"));
}

TEST_CASE("unsupported and unknown types are On-Prem's unknown with 501") {
  auto p = payload_of(
    message_webhook(R"("type":"unsupported","errors":[{"code":131051,)"
                    R"("title":"Message type unknown","message":)"
                    R"("Message type unknown","error_data":{"details":)"
                    R"("Message type is currently not supported."}}])"),
    "unknown");
  CHECK(same_json(p, R"({"type":"unknown","errors":[{"code":501,"title":)"
                     R"("Unknown message type","details":)"
                     R"("Message type is currently not supported."}]})"));
  // A type On-Prem has no counterpart for (an order, a flow reply).
  payload_of(message_webhook(R"("type":"order","order":{"catalog_id":"1"})"),
             "unknown");
  payload_of(message_webhook(R"("type":"interactive","interactive":{"type":)"
                             R"("nfm_reply","nfm_reply":{"body":"Sent"}})"),
             "unknown");
}

TEST_CASE("a sender who hides the number is known by the BSUID") {
  auto b = parsed(webhook(
    R"("contacts":[{"profile":{"name":"Sheena Nelson","username":)"
    R"("@realsheenanelson"},"user_id":"US.13491208655302741918"}],)"
    R"("messages":[{"from_user_id":"US.13491208655302741918","id":")"
    + std::string{wamid} + R"(","timestamp":"1683229471","type":"text",)"
      R"("text":{"body":"Hi"}}])"));
  REQUIRE(b.messages.size() == 1);
  auto& in = b.messages[0];
  CHECK(in.message.from == "US.13491208655302741918");
  CHECK(in.from_user_id == "US.13491208655302741918");
  CHECK(in.message.profile_name == "Sheena Nelson");
  // With the number too: from is the number, the BSUID kept beside it.
  auto c = parsed(webhook(
    R"("contacts":[{"profile":{"name":"S"},"wa_id":"16505551234",)"
    R"("user_id":"US.13491208655302741918"}],"messages":[{"from":)"
    R"("16505551234","id":"wamid.A","timestamp":"1","type":"text",)"
    R"("text":{"body":"Hi"}}])"));
  REQUIRE(c.messages.size() == 1);
  CHECK(c.messages[0].message.from == "16505551234");
  CHECK(c.messages[0].from_user_id == "US.13491208655302741918");
}

TEST_CASE("sent, delivered and read statuses with conversation") {
  auto b = parsed(webhook(
    R"("statuses":[{"id":"wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0)"
    R"(Q2RTY3RTcA","status":"sent","timestamp":"1750263773",)"
    R"("recipient_id":"16505551234","recipient_user_id":)"
    R"("US.13491208655302741918","conversation":{"id":)"
    R"("6ceb9d929c0e7c07b34b5a3fa2bbbb9d","expiration_timestamp":)"
    R"("1750350173","origin":{"type":"utility"}},"pricing":{"billable":)"
    R"(true,"pricing_model":"CBP","category":"utility"}},)"
    R"({"id":"wamid.B","status":"delivered","timestamp":"1750263780",)"
    R"("recipient_id":"16505551234"},{"id":"wamid.C","status":"read",)"
    R"("timestamp":"1750263790","recipient_user_id":)"
    R"("US.13491208655302741918"},{"id":"wamid.D","status":"played",)"
    R"("timestamp":"1"}])"));
  REQUIRE(b.statuses.size() == 3); // "played" is not carried
  auto& s = b.statuses[0];
  CHECK(s.wamid
        == "wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA");
  CHECK(s.status == "sent");
  CHECK(s.timestamp == 1750263773);
  CHECK(s.recipient == "16505551234");
  CHECK(s.recipient_user_id == "US.13491208655302741918");
  CHECK(s.conversation_id == "6ceb9d929c0e7c07b34b5a3fa2bbbb9d");
  CHECK(s.conversation_origin == "utility");
  CHECK(s.conversation_expiration == 1750350173);
  CHECK(s.error_code == 0);
  CHECK(s.phone_number_id == "106540352242922");
  CHECK(b.statuses[1].status == "delivered");
  CHECK(b.statuses[1].conversation_id.empty());
  CHECK(b.statuses[2].status == "read");
  CHECK(b.statuses[2].recipient.empty());
  CHECK(b.statuses[2].recipient_user_id == "US.13491208655302741918");
}

TEST_CASE("a failed status carries the On-Prem code and the Cloud one") {
  auto b = parsed(webhook(
    R"("statuses":[{"id":"wamid.F","status":"failed","timestamp":)"
    R"("1750263773","recipient_id":"16505551234","errors":[{"code":131047,)"
    R"("title":"Re-engagement message","message":"Re-engagement message",)"
    R"("error_data":{"details":"Message failed to send because more than )"
    R"(24 hours have passed since the customer last replied to this )"
    R"(number."},"href":"https://developers.facebook.com/docs/whatsapp/)"
    R"(cloud-api/support/error-codes/"}]}])"));
  REQUIRE(b.statuses.size() == 1);
  auto& s = b.statuses[0];
  CHECK(s.status == "failed");
  CHECK(s.cloud_error_code == 131047);
  CHECK(s.error_code == codes::reengagement);
  CHECK(s.error_title == error_title(codes::reengagement));
  CHECK(s.error_details
        == "Cloud API error 131047: Re-engagement message (Message failed to "
           "send because more than 24 hours have passed since the customer "
           "last replied to this number.)");
  // An unknown Cloud code: generic, the code in the details.
  auto c = parsed(webhook(
    R"("statuses":[{"id":"wamid.G","status":"failed","timestamp":"1",)"
    R"("recipient_id":"1","errors":[{"code":131049,"title":"t"}]}])"));
  REQUIRE(c.statuses.size() == 1);
  CHECK(c.statuses[0].error_code == codes::generic);
  CHECK(c.statuses[0].error_details == "Cloud API error 131049: t");
}

TEST_CASE("several entries and changes; other fields are skipped") {
  std::string value1 = R"({"messaging_product":"whatsapp","metadata":{)"
                       R"("phone_number_id":"111"},"statuses":[{"id":"w1",)"
                       R"("status":"read","timestamp":"5","recipient_id":)"
                       R"("1"}]})";
  std::string value2 = R"({"messaging_product":"whatsapp","metadata":{)"
                       R"("phone_number_id":"222"},"messages":[{"from":"2",)"
                       R"("id":"w2","timestamp":"6","type":"text","text":)"
                       R"({"body":"b"}}]})";
  auto b = parsed(
    R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":)"
    R"([{"field":"messages","value":)" + value1
    + R"(},{"field":"message_template_status_update","value":{"event":)"
      R"("APPROVED","message_template_id":1}}]},{"id":"2","changes":[{)"
      R"("field":"messages","value":)" + value2 + R"(,"unknown_member":1}]},)"
      R"({"id":"3"}]})");
  CHECK(b.phone_number_id == "111");
  REQUIRE(b.statuses.size() == 1);
  CHECK(b.statuses[0].phone_number_id == "111");
  REQUIRE(b.messages.size() == 1);
  CHECK(b.messages[0].phone_number_id == "222");
  CHECK(b.messages[0].message.from == "2");
}

TEST_CASE("what is not a WhatsApp Business Account webhook is refused") {
  for (std::string body :
       {std::string{"not json"}, std::string{"[]"},
        std::string{R"({"object":"page","entry":[]})"},
        std::string{R"({"object":"whatsapp_business_account"})"},
        std::string{R"({"object":"whatsapp_business_account","entry":{}})"}}) {
    CAPTURE(body);
    auto r = parse_cloud_webhook(body);
    REQUIRE_FALSE(r);
    CHECK(is(r.error(), mc_errc::malformed_document));
  }
  auto empty = parse_cloud_webhook(
    R"({"object":"whatsapp_business_account","entry":[]})");
  REQUIRE(empty);
  CHECK(empty->messages.empty());
  CHECK(empty->statuses.empty());
}
