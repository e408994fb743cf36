#include "message_test_util.hpp"

using namespace mc::http;
using namespace mc::http::test;

// Examples and limits of the interactive object:
// https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#interactive-object

namespace {

std::string row(int i) {
  return R"({"id":"r)" + std::to_string(i) + R"(","title":"Row )"
         + std::to_string(i) + R"(","description":"d"})";
}

std::string list_with(const std::string& sections) {
  return R"({"type":"list","header":{"type":"text","text":"your-header-content"},)"
         R"("body":{"text":"your-text-message-content"},"footer":{"text":"your-footer-content"},)"
         R"("action":{"button":"cta-button-content","sections":)"
         + sections + "}}";
}

std::string buttons_with(const std::string& buttons) {
  return R"({"type":"button","body":{"text":"your-text-body-content"},"action":{"buttons":)"
         + buttons + "}}";
}

std::string reply(const std::string& id, const std::string& title) {
  return R"({"type":"reply","reply":{"id":")" + id + R"(","title":")" + title
         + R"("}})";
}

} // namespace

TEST_CASE("interactive list: the reference's example, sections and rows limits") {
  auto r = accepted(request("interactive",
                            list_with("[{\"title\":\"s1\",\"rows\":[" + row(1)
                                      + "," + row(2) + "]},{\"title\":\"s2\",\"rows\":["
                                      + row(3) + "]}]")));
  CHECK(r.type == "interactive");
  CHECK(r.payload.find(R"("button":"cta-button-content")") != std::string::npos);
  // One section needs no title.
  accepted(request("interactive", list_with("[{\"rows\":[" + row(1) + "]}]")));
  refused(request("interactive", list_with("[{\"rows\":[" + row(1) + "]},{\"rows\":["
                                           + row(2) + "]}]")),
          1008, "interactive.action.sections[0].title is missing");
  refused(request("interactive", list_with("[]")), 1009,
          "interactive.action.sections must have 1 to 10 elements, got 0");
  std::string eleven = "[";
  for (int i = 0; i < 11; ++i)
    eleven += (i ? "," : "") + std::string{"{\"title\":\"s\",\"rows\":["} + row(i) + "]}";
  eleven += "]";
  refused(request("interactive", list_with(eleven)), 1009,
          "interactive.action.sections must have 1 to 10 elements, got 11");
  // At most 10 rows across all sections.
  std::string rows6 = "[", rows5 = "[";
  for (int i = 0; i < 6; ++i)
    rows6 += (i ? "," : "") + row(i);
  for (int i = 6; i < 11; ++i)
    rows5 += (i > 6 ? "," : "") + row(i);
  refused(request("interactive", list_with("[{\"title\":\"a\",\"rows\":" + rows6
                                           + "]},{\"title\":\"b\",\"rows\":"
                                           + rows5 + "]}]")),
          1009, "interactive.action.sections must have at most 10 rows in all");
  refused(request("interactive",
                  list_with(R"([{"rows":[{"id":"a","title":"0123456789012345678901234"}]}])")),
          1009, "interactive.action.sections[0].rows[0].title is longer than 24 characters");
  refused(request("interactive",
                  list_with(R"([{"rows":[{"id":"a","title":"t"},{"id":"a","title":"u"}]}])")),
          1009, "interactive.action.sections[0].rows[1].id 'a' is not unique");
  refused(request("interactive",
                  R"({"type":"list","header":{"type":"image","image":{"id":"x"}},"body":{"text":"b"},"action":{"button":"b","sections":[{"rows":[{"id":"a","title":"t"}]}]}})"),
          1009, "interactive.header.type 'image' is not one of 'text'");
  refused(request("interactive",
                  R"({"type":"list","action":{"button":"b","sections":[{"rows":[{"id":"a","title":"t"}]}]}})"),
          1008, "interactive.body is missing");
}

TEST_CASE("interactive button: 1 to 3 reply buttons with unique titles") {
  auto r = accepted(request("interactive",
                            buttons_with("[" + reply("unique-postback-id", "First Button's Title")
                                         + "," + reply("b2", "Second") + "]")));
  CHECK(r.payload.find(R"("title":"First Button's Title")") != std::string::npos);
  accepted(request("interactive",
                   R"({"type":"button","header":{"type":"image","image":{"link":"https://x/h.png"}},"body":{"text":"b"},"action":{"buttons":[{"type":"reply","reply":{"id":"a","title":"A"}}]}})"));
  refused(request("interactive",
                  buttons_with("[" + reply("a", "A") + "," + reply("b", "B") + ","
                               + reply("c", "C") + "," + reply("d", "D") + "]")),
          1009, "interactive.action.buttons must have 1 to 3 elements, got 4");
  refused(request("interactive", buttons_with("[" + reply("a", "A") + "," + reply("b", "A") + "]")),
          1009, "interactive.action.buttons[1].reply.title 'A' is not unique");
  refused(request("interactive", buttons_with("[" + reply("a", "012345678901234567890") + "]")),
          1009, "interactive.action.buttons[0].reply.title is longer than 20 characters");
  refused(request("interactive", buttons_with(R"([{"type":"url","reply":{"id":"a","title":"A"}}])")),
          1009, "interactive.action.buttons[0].type 'url' is not one of 'reply'");
  refused(request("interactive",
                  R"({"type":"button","header":{"type":"text","text":")" + std::string(61, 'h')
                    + R"("},"body":{"text":"b"},"action":{"buttons":[{"type":"reply","reply":{"id":"a","title":"A"}}]}})"),
          1009, "interactive.header.text is longer than 60 characters");
  refused(request("interactive",
                  R"({"type":"button","body":{"text":"b"},"footer":{"text":")" + std::string(61, 'f')
                    + R"("},"action":{"buttons":[{"type":"reply","reply":{"id":"a","title":"A"}}]}})"),
          1009, "interactive.footer.text is longer than 60 characters");
  refused(request("interactive", R"({"type":"flow","body":{"text":"b"}})"), 1009,
          "interactive.type 'flow' is not one of 'list', 'button', 'product', 'product_list'");
}

TEST_CASE("interactive product and product_list") {
  accepted(request("interactive",
                   R"({"type":"product","body":{"text":"optional body"},"footer":{"text":"f"},"action":{"catalog_id":"catalog-ID","product_retailer_id":"product-ID"}})"));
  accepted(request("interactive",
                   R"({"type":"product","action":{"catalog_id":"c","product_retailer_id":"p"}})"));
  refused(request("interactive",
                  R"({"type":"product","header":{"type":"text","text":"h"},"action":{"catalog_id":"c","product_retailer_id":"p"}})"),
          1010, "unknown field 'interactive.header'");
  refused(request("interactive", R"({"type":"product","action":{"catalog_id":"c"}})"),
          1008, "interactive.action.product_retailer_id is missing");
  const std::string list = R"({"type":"product_list","header":{"type":"text","text":"header-content"},"body":{"text":"body-content"},"footer":{"text":"footer-content"},"action":{"catalog_id":"catalog-ID","sections":[{"title":"section-title","product_items":[{"product_retailer_id":"product-SKU-in-catalog"},{"product_retailer_id":"product-SKU-in-catalog"}]},{"title":"section-title","product_items":[{"product_retailer_id":"product-SKU-in-catalog"}]}]}})";
  accepted(request("interactive", list));
  refused(request("interactive",
                  R"({"type":"product_list","body":{"text":"b"},"action":{"catalog_id":"c","sections":[{"title":"s","product_items":[{"product_retailer_id":"p"}]}]}})"),
          1008, "interactive.header is missing");
}
