#include <doctest/doctest.h>

#include <string>

#include <rapidjson/document.h>

#include "actors/protocol/errors.hpp"
#include "runtime/cloud/cloud_message_translator.hpp"

using namespace mc;

// Inputs follow the On-Prem reference's examples (developers.facebook.com/
// docs/whatsapp/on-premises/reference/messages), outputs the Cloud API's
// (developers.facebook.com/docs/whatsapp/cloud-api/reference/messages and
// .../cloud-api/guides/send-messages), with the payload as stored: the
// request less "to", "type" first.

namespace {

const cloud_media_ids media{{"f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68",
                             "1037543291543636"},
                            {"ours-2", "cloud-2"}};

/// The body for `payload` to `to`, which must translate.
std::string body_of(const std::string& payload,
                    const std::string& to = "16315551234") {
  auto r = cloud_message_translator::translate(payload, to, media);
  REQUIRE(r);
  return r->json;
}

/// Compares the JSON documents, not their text.
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

} // namespace

TEST_CASE("text: preview_url moves into text, context and recipient_type "
          "are kept") {
  auto got = body_of(
    R"({"type":"text","recipient_type":"individual","preview_url":true,)"
    R"("context":{"message_id":"gBGGFlA5FpafAgkOuJbRq54qwbM"},)"
    R"("text":{"body":"Check https://www.example.com"}})");
  CHECK(same_json(got,
    R"({"messaging_product":"whatsapp","recipient_type":"individual",)"
    R"("to":"16315551234","context":{"message_id":)"
    R"("gBGGFlA5FpafAgkOuJbRq54qwbM"},"type":"text","text":{"body":)"
    R"("Check https://www.example.com","preview_url":true}})"));
}

TEST_CASE("a BSUID goes to recipient instead of to") {
  // developers.facebook.com/documentation/business-messaging/whatsapp/
  // business-scoped-user-ids, "Messages API".
  auto got = body_of(R"({"type":"text","text":{"body":"Hello"}})",
                     "US.13491208655302741918");
  CHECK(same_json(got,
    R"({"messaging_product":"whatsapp","recipient":)"
    R"("US.13491208655302741918","type":"text","text":{"body":"Hello"}})"));
  auto parent = body_of(R"({"type":"text","text":{"body":"Hello"}})",
                        "US.ENT.11815799212886844830");
  CHECK(parent.find(R"("recipient":"US.ENT.11815799212886844830")")
        != std::string::npos);
}

TEST_CASE("ttl has no Cloud form and is dropped") {
  auto got = body_of(R"({"type":"text","ttl":3600,"text":{"body":"x"}})");
  CHECK(same_json(got, R"({"messaging_product":"whatsapp","to":)"
                       R"("16315551234","type":"text","text":{"body":"x"}})"));
}

TEST_CASE("media by id gets the Cloud id, media by link is kept") {
  CHECK(same_json(
    body_of(R"({"type":"image","image":{"id":)"
            R"("f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68","caption":"cat"}})"),
    R"({"messaging_product":"whatsapp","to":"16315551234","type":"image",)"
    R"("image":{"id":"1037543291543636","caption":"cat"}})"));
  CHECK(same_json(
    body_of(R"({"type":"document","document":{"link":)"
            R"("https://example.com/a.pdf","caption":"c","filename":)"
            R"("a.pdf"}})"),
    R"({"messaging_product":"whatsapp","to":"16315551234","type":)"
    R"("document","document":{"link":"https://example.com/a.pdf",)"
    R"("caption":"c","filename":"a.pdf"}})"));
  for (auto t : {"audio", "video", "sticker", "document", "image"}) {
    std::string type = t;
    CAPTURE(type);
    CHECK(same_json(
      body_of(R"({"type":")" + type + R"(",")" + type
              + R"(":{"id":"ours-2"}})"),
      R"({"messaging_product":"whatsapp","to":"16315551234","type":")" + type
        + R"(",")" + type + R"(":{"id":"cloud-2"}})"));
  }
}

TEST_CASE("a media id missing from the map is an error naming it") {
  auto r = cloud_message_translator::translate(
    R"({"type":"video","video":{"id":"not-uploaded"}})", "16315551234",
    media);
  REQUIRE_FALSE(r);
  CHECK(is(r.error(), mc_errc::media_unknown));
}

TEST_CASE("location, contacts and reaction are carried as they are") {
  CHECK(same_json(
    body_of(R"({"type":"location","location":{"longitude":-122.425332,)"
            R"("latitude":37.758056,"name":"Facebook HQ","address":)"
            R"("1 Hacker Way, Menlo Park, CA 94025"}})"),
    R"({"messaging_product":"whatsapp","to":"16315551234","type":)"
    R"("location","location":{"longitude":-122.425332,"latitude":)"
    R"(37.758056,"name":"Facebook HQ","address":)"
    R"("1 Hacker Way, Menlo Park, CA 94025"}})"));
  CHECK(same_json(
    body_of(R"({"type":"contacts","contacts":[{"name":{"formatted_name":)"
            R"("John Smith","first_name":"John"},"phones":[{"phone":)"
            R"("+1 (940) 555-1234","type":"HOME","wa_id":"16505551234"}]}]})"),
    R"({"messaging_product":"whatsapp","to":"16315551234","type":)"
    R"("contacts","contacts":[{"name":{"formatted_name":"John Smith",)"
    R"("first_name":"John"},"phones":[{"phone":"+1 (940) 555-1234",)"
    R"("type":"HOME","wa_id":"16505551234"}]}]})"));
  CHECK(same_json(
    body_of(R"({"type":"reaction","reaction":{"message_id":)"
            R"("wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQTRCRDcwNzgzMTRCNTAwRTc0)"
            R"(RAA=","emoji":"\uD83D\uDE00"}})"),
    R"({"messaging_product":"whatsapp","to":"16315551234","type":)"
    R"("reaction","reaction":{"message_id":)"
    R"("wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQTRCRDcwNzgzMTRCNTAwRTc0RAA=",)"
    R"("emoji":"\uD83D\uDE00"}})"));
}

TEST_CASE("interactive list, button, product and product_list") {
  std::string list
    = R"({"type":"list","header":{"type":"text","text":"Menu"},"body":)"
      R"({"text":"Pick"},"footer":{"text":"f"},"action":{"button":"Open",)"
      R"("sections":[{"title":"S","rows":[{"id":"r1","title":"Row",)"
      R"("description":"d"}]}]}})";
  CHECK(same_json(
    body_of(R"({"type":"interactive","interactive":)" + list + "}"),
    R"({"messaging_product":"whatsapp","to":"16315551234","type":)"
    R"("interactive","interactive":)" + list + "}"));
  CHECK(same_json(
    body_of(R"({"type":"interactive","interactive":{"type":"button",)"
            R"("header":{"type":"image","image":{"id":"ours-2"}},"body":)"
            R"({"text":"Go?"},"action":{"buttons":[{"type":"reply","reply":)"
            R"({"id":"yes","title":"Yes"}}]}}})"),
    R"({"messaging_product":"whatsapp","to":"16315551234","type":)"
    R"("interactive","interactive":{"type":"button","header":{"type":)"
    R"("image","image":{"id":"cloud-2"}},"body":{"text":"Go?"},"action":)"
    R"({"buttons":[{"type":"reply","reply":{"id":"yes","title":"Yes"}}]}}})"));
  std::string product
    = R"({"type":"product","body":{"text":"b"},"action":{"catalog_id":)"
      R"("367025965434465","product_retailer_id":"SKU1"}})";
  CHECK(same_json(
    body_of(R"({"type":"interactive","interactive":)" + product + "}"),
    R"({"messaging_product":"whatsapp","to":"16315551234","type":)"
    R"("interactive","interactive":)" + product + "}"));
  std::string plist
    = R"({"type":"product_list","header":{"type":"text","text":"h"},)"
      R"("body":{"text":"b"},"action":{"catalog_id":"367025965434465",)"
      R"("sections":[{"title":"t","product_items":[{"product_retailer_id":)"
      R"("SKU1"},{"product_retailer_id":"SKU2"}]}]}})";
  CHECK(same_json(
    body_of(R"({"type":"interactive","interactive":)" + plist + "}"),
    R"({"messaging_product":"whatsapp","to":"16315551234","type":)"
    R"("interactive","interactive":)" + plist + "}"));
}

TEST_CASE("an On-Prem template loses namespace and policy") {
  auto got = body_of(
    R"({"type":"template","template":{"namespace":)"
    R"("business_a_namespace","name":"sample_shipping_confirmation",)"
    R"("language":{"policy":"deterministic","code":"en_US"},"components":)"
    R"([{"type":"header","parameters":[{"type":"document","document":)"
    R"({"id":"f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68","filename":"a.pdf"}}]},)"
    R"({"type":"body","parameters":[{"type":"text","text":"3"},)"
    R"({"type":"currency","currency":{"fallback_value":"$100.99","code":)"
    R"("USD","amount_1000":100990}},{"type":"date_time","date_time":)"
    R"({"fallback_value":"February 25, 1977","day_of_week":5,"year":1977,)"
    R"("month":2,"day_of_month":25,"hour":15,"minute":33,"calendar":)"
    R"("GREGORIAN"}}]},{"type":"button","sub_type":"quick_reply","index":)"
    R"(0,"parameters":[{"type":"payload","payload":)"
    R"("aGlzIHRoaXMgaXMgY29v"}]}]}})");
  CHECK(same_json(got,
    R"({"messaging_product":"whatsapp","to":"16315551234","type":)"
    R"("template","template":{"name":"sample_shipping_confirmation",)"
    R"("language":{"code":"en_US"},"components":[{"type":"header",)"
    R"("parameters":[{"type":"document","document":{"id":)"
    R"("1037543291543636","filename":"a.pdf"}}]},{"type":"body",)"
    R"("parameters":[{"type":"text","text":"3"},{"type":"currency",)"
    R"("currency":{"fallback_value":"$100.99","code":"USD","amount_1000":)"
    R"(100990}},{"type":"date_time","date_time":{"fallback_value":)"
    R"("February 25, 1977"}}]},{"type":"button","sub_type":"quick_reply",)"
    R"("index":"0","parameters":[{"type":"payload","payload":)"
    R"("aGlzIHRoaXMgaXMgY29v"}]}]}})"));
}

TEST_CASE("a legacy hsm becomes a template with body parameters") {
  auto got = body_of(
    R"({"type":"hsm","hsm":{"namespace":"business_a_namespace",)"
    R"("element_name":"purchase_with_credit_card","language":{"policy":)"
    R"("deterministic","code":"en"},"localizable_params":[{"default":)"
    R"("$10","currency":{"currency_code":"USD","amount_1000":10000}},)"
    R"({"default":"CREDIT_CARD"},{"default":"January 1, 2019","date_time":)"
    R"({"component":{"day_of_month":1,"year":2019,"month":1}}}]}})");
  CHECK(same_json(got,
    R"({"messaging_product":"whatsapp","to":"16315551234","type":)"
    R"("template","template":{"name":"purchase_with_credit_card",)"
    R"("language":{"code":"en"},"components":[{"type":"body",)"
    R"("parameters":[{"type":"currency","currency":{"fallback_value":)"
    R"("$10","code":"USD","amount_1000":10000}},{"type":"text","text":)"
    R"("CREDIT_CARD"},{"type":"date_time","date_time":{"fallback_value":)"
    R"("January 1, 2019"}}]}]}})"));
  // Without parameters: no components.
  CHECK(same_json(
    body_of(R"({"type":"hsm","hsm":{"namespace":"n","element_name":"hello",)"
            R"("language":{"policy":"deterministic","code":"en"}}})"),
    R"({"messaging_product":"whatsapp","to":"16315551234","type":)"
    R"("template","template":{"name":"hello","language":{"code":"en"}}})"));
}

TEST_CASE("what cannot be translated is an error") {
  auto t = [](const std::string& payload) {
    return cloud_message_translator::translate(payload, "1", media);
  };
  auto bad = t("not json");
  REQUIRE_FALSE(bad);
  CHECK(is(bad.error(), mc_errc::malformed_document));
  auto no_object = t(R"({"type":"text"})");
  REQUIRE_FALSE(no_object);
  CHECK(is(no_object.error(), mc_errc::malformed_document));
  auto other = t(R"({"type":"payment","payment":{}})");
  REQUIRE_FALSE(other);
  CHECK(is(other.error(), mc_errc::unsupported_message));
}

TEST_CASE("the media ids of a payload, each once") {
  using v = std::vector<std::string>;
  auto of = [](const std::string& p) {
    return cloud_message_translator::media_ids_of(p);
  };
  CHECK(of(R"({"type":"image","image":{"id":"a"}})") == v{"a"});
  CHECK(of(R"({"type":"image","image":{"link":"https://x/y.png"}})")
        == v{});
  CHECK(of(R"({"type":"text","text":{"body":"id"}})") == v{});
  CHECK(of(R"({"type":"interactive","interactive":{"type":"button",)"
           R"("header":{"type":"video","video":{"id":"h"}}}})")
        == v{"h"});
  CHECK(of(R"({"type":"template","template":{"components":[{"type":)"
           R"("header","parameters":[{"type":"image","image":{"id":"p"}}]},)"
           R"({"type":"body","parameters":[{"type":"image","image":{"id":)"
           R"("q"}},{"type":"image","image":{"id":"p"}}]}]}})")
        == v{"p", "q"});
  CHECK(of("junk") == v{});
}
