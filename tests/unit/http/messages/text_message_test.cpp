#include "message_test_util.hpp"

using namespace mc::http;
using namespace mc::http::test;

// https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#text-object
TEST_CASE("text: the reference's example, body required, at most 4096 characters") {
  auto r = accepted(R"({"preview_url":false,"recipient_type":"individual","to":"1 631 555","type":"text","text":{"body":"your-text-message-content"}})");
  CHECK(r.to == "1631555");
  CHECK(r.payload
        == R"({"type":"text","preview_url":false,"recipient_type":"individual","text":{"body":"your-text-message-content"}})");
  refused(request("text", "{}"), 1008, "text.body is missing");
  refused(request("text", R"({"body":")" + std::string(4097, 'a') + "\"}"), 1001,
          "text.body is longer than 4096 characters");
  refused(request("text", R"({"body":"x"})", R"("preview_url":1)"), 1009,
          "preview_url must be a boolean, got a number");
}
