#include "message_test_util.hpp"

using namespace mc::http;
using namespace mc::http::test;

// https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#location-object
TEST_CASE("location needs longitude and latitude in range") {
  auto r = accepted(request("location",
                            R"({"longitude":-122.425332,"latitude":37.758056,"name":"Facebook HQ","address":"1 Hacker Way, Menlo Park, CA 94025"})"));
  CHECK(r.type == "location");
  CHECK(r.payload
        == R"({"type":"location","location":{"longitude":-122.425332,"latitude":37.758056,"name":"Facebook HQ","address":"1 Hacker Way, Menlo Park, CA 94025"}})");
  refused(request("location", R"({"latitude":1})"), 1008,
          "location.longitude is missing");
  refused(request("location", R"({"longitude":1})"), 1008,
          "location.latitude is missing");
  refused(request("location", R"({"longitude":"1","latitude":1})"), 1009,
          "location.longitude must be a number, got a string");
  refused(request("location", R"({"longitude":181,"latitude":1})"), 1009,
          "location.longitude must be between -180 and 180");
  refused(request("location", R"({"longitude":1,"latitude":-91})"), 1009,
          "location.latitude must be between -90 and 90");
  refused(request("location", R"({"longitude":1,"latitude":1,"url":"x"})"),
          1010, "unknown field 'location.url'");
}

// https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#contacts-object
TEST_CASE("contacts: the reference's full card is accepted, formatted_name is required") {
  const std::string card = R"([{
    "addresses":[{"city":"Menlo Park","country":"United States","country_code":"us","state":"CA","street":"1 Hacker Way","type":"HOME","zip":"94025"}],
    "birthday":"2012-08-18",
    "emails":[{"email":"test@fb.com","type":"WORK"}],
    "name":{"first_name":"John","formatted_name":"John Smith","last_name":"Smith"},
    "org":{"company":"WhatsApp","department":"Design","title":"Manager"},
    "phones":[{"phone":"+1 (940) 555-1234","type":"HOME"},{"phone":"+1 (650) 555-1234","type":"WORK","wa_id":"16505551234"}],
    "urls":[{"url":"https://www.facebook.com","type":"WORK"}]}])";
  auto r = accepted(request("contacts", card));
  CHECK(r.type == "contacts");
  CHECK(r.payload.find(R"("wa_id":"16505551234")") != std::string::npos);
  refused(request("contacts", R"([{"name":{"first_name":"J"}}])"), 1008,
          "contacts[0].name.formatted_name is missing");
  refused(request("contacts", R"([{"phones":[]}])"), 1008,
          "contacts[0].name is missing");
  refused(request("contacts", "[]"), 1009,
          "contacts must have 1 to 257 elements, got 0");
  refused(request("contacts", "{}"), 1009,
          "contacts must be an array, got an object");
  refused(request("contacts",
                  R"([{"name":{"formatted_name":"J"},"birthday":"2012-13-01"}])"),
          1009, "contacts[0].birthday must be a date YYYY-MM-DD");
  refused(request("contacts",
                  R"([{"name":{"formatted_name":"J"},"emails":[{"mail":"x"}]}])"),
          1010, "unknown field 'contacts[0].emails[0].mail'");
  refused(request("contacts",
                  R"([{"name":{"formatted_name":"J"},"phones":[{"phone":5}]}])"),
          1009, "contacts[0].phones[0].phone must be a string, got a number");
}

// https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#reaction-object
TEST_CASE("reaction: message_id and emoji, an empty emoji removes it") {
  auto r = accepted(request("reaction",
                            R"({"message_id":"gBGGFlA5FpafAgkOuJbRq54qwbM","emoji":"\ud83d\ude00"})"));
  CHECK(r.payload
        == "{\"type\":\"reaction\",\"reaction\":{\"message_id\":"
           "\"gBGGFlA5FpafAgkOuJbRq54qwbM\",\"emoji\":\"\xf0\x9f\x98\x80\"}}");
  accepted(request("reaction", R"({"message_id":"m","emoji":""})"));
  refused(request("reaction", R"({"emoji":"x"})"), 1008,
          "reaction.message_id is missing");
  refused(request("reaction", R"({"message_id":"m"})"), 1008,
          "reaction.emoji is missing");
  refused(request("reaction", R"({"message_id":"m","emoji":"not an emoji"})"),
          1009, "reaction.emoji is longer than 10 characters");
}

TEST_CASE("context and ttl are checked for every type") {
  refused(request("reaction", R"({"message_id":"m","emoji":""})",
                  R"("context":{})"),
          1008, "context.message_id is missing");
  refused(request("reaction", R"({"message_id":"m","emoji":""})",
                  R"("context":{"message_id":"m","from":"x"})"),
          1010, "unknown field 'context.from'");
  refused(request("location", R"({"longitude":1,"latitude":1})",
                  R"("ttl":0)"),
          1009, "ttl must be between 1 and 2592000");
}
