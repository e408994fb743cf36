#include "message_test_util.hpp"

using namespace mc::http;
using namespace mc::http::test;

// The reference's template examples and rules:
// https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#template-object

namespace {

std::string tmpl(const std::string& components) {
  return R"({"namespace":"your-namespace","name":"your-template-name",)"
         R"("language":{"policy":"deterministic","code":"en"},"components":)"
         + components + "}";
}

} // namespace

TEST_CASE("a media template with every parameter type is accepted whole") {
  const std::string components = R"([
    {"type":"header","parameters":[{"type":"image","image":{"link":"https://example.com/h.png"}}]},
    {"type":"body","parameters":[
      {"type":"text","text":"replacement_text"},
      {"type":"currency","currency":{"fallback_value":"$100.99","code":"USD","amount_1000":100990}},
      {"type":"date_time","date_time":{"fallback_value":"February 25, 1977","day_of_week":5,"day_of_month":25,"year":1977,"month":2,"hour":15,"minute":33}},
      {"type":"date_time","date_time":{"fallback_value":"February 25, 1977","timestamp":1485470276}}]},
    {"type":"button","sub_type":"quick_reply","index":0,"parameters":[{"type":"payload","payload":"aGlzIHRoaXMgaXMgY29v"}]},
    {"type":"button","sub_type":"url","index":"1","parameters":[{"type":"text","text":"9rwnB8RbYmPF5t2Mn09x4h"}]}])";
  auto r = accepted(request("template", tmpl(components)));
  CHECK(r.type == "template");
  CHECK(r.payload.rfind(R"({"type":"template","template":{"namespace":"your-namespace")", 0) == 0);
  CHECK(r.payload.find(R"("amount_1000":100990)") != std::string::npos);
  // Headers take documents and videos, by id too.
  accepted(request("template", tmpl(R"([{"type":"header","parameters":[{"type":"document","document":{"id":"doc-id","filename":"a.pdf"}}]}])")));
  accepted(request("template", tmpl(R"([{"type":"header","parameters":[{"type":"video","video":{"link":"https://x/v.mp4"}}]}])")));
  // No components: a template without parameters.
  accepted(request("template", R"({"namespace":"n","name":"hello","language":{"policy":"deterministic","code":"en_US"}})"));
}

TEST_CASE("template: required members and the language policy") {
  refused(request("template", R"({"name":"n","language":{"policy":"deterministic","code":"en"}})"),
          1008, "template.namespace is missing");
  refused(request("template", R"({"namespace":"n","language":{"policy":"deterministic","code":"en"}})"),
          1008, "template.name is missing");
  refused(request("template", R"({"namespace":"n","name":"x"})"), 1008,
          "template.language is missing");
  refused(request("template", R"({"namespace":"n","name":"x","language":{"policy":"fallback","code":"en"}})"),
          1009, "template.language.policy 'fallback' is not one of 'deterministic'");
  refused(request("template", R"({"namespace":"n","name":"x","language":{"policy":"deterministic"}})"),
          1008, "template.language.code is missing");
}

TEST_CASE("template: components, buttons and parameter types") {
  refused(request("template", tmpl(R"([{"type":"footer"}])")), 1009,
          "template.components[0].type 'footer' is not one of 'header', 'body', 'button'");
  refused(request("template", tmpl(R"([{"type":"button","index":0,"parameters":[]}])")),
          1008, "template.components[0].sub_type is missing");
  refused(request("template", tmpl(R"([{"type":"button","sub_type":"call","index":0,"parameters":[]}])")),
          1009, "template.components[0].sub_type 'call' is not one of 'quick_reply', 'url'");
  refused(request("template", tmpl(R"([{"type":"button","sub_type":"url","parameters":[]}])")),
          1008, "template.components[0].index is missing");
  refused(request("template", tmpl(R"([{"type":"button","sub_type":"url","index":3,"parameters":[]}])")),
          1009, "template.components[0].index must be between 0 and 2");
  refused(request("template", tmpl(R"([{"type":"button","sub_type":"url","index":"7","parameters":[]}])")),
          1009, "template.components[0].index must be 0 to 2");
  refused(request("template", tmpl(R"([{"type":"body","index":0}])")), 1010,
          "template.components[0]: sub_type and index are only for buttons");
  // Body parameters are text, currency or date_time only.
  refused(request("template", tmpl(R"([{"type":"body","parameters":[{"type":"image","image":{"id":"x"}}]}])")),
          1009, "template.components[0].parameters[0].type 'image' is not one of 'text', 'currency', 'date_time'");
  refused(request("template", tmpl(R"([{"type":"button","sub_type":"quick_reply","index":0,"parameters":[{"type":"text","text":"x"}]}])")),
          1009, "template.components[0].parameters[0].type 'text' is not one of 'payload'");
  refused(request("template", tmpl(R"([{"type":"body","parameters":[{"type":"text"}]}])")),
          1008, "template.components[0].parameters[0].text is missing");
  refused(request("template", tmpl(R"([{"type":"body","parameters":[{"type":"text","text":"a","payload":"b"}]}])")),
          1010, "unknown field 'template.components[0].parameters[0].payload'");
  refused(request("template", tmpl(R"([{"type":"body","parameters":[{"type":"currency","currency":{"fallback_value":"$1","code":"usd","amount_1000":1}}]}])")),
          1009, "template.components[0].parameters[0].currency.code must be an ISO 4217 code like 'USD'");
  refused(request("template", tmpl(R"([{"type":"body","parameters":[{"type":"currency","currency":{"fallback_value":"$1","code":"USD"}}]}])")),
          1008, "template.components[0].parameters[0].currency.amount_1000 is missing");
  refused(request("template", tmpl(R"([{"type":"body","parameters":[{"type":"date_time","date_time":{"month":2}}]}])")),
          1008, "template.components[0].parameters[0].date_time.fallback_value is missing");
  refused(request("template", tmpl(R"([{"type":"body","parameters":[{"type":"date_time","date_time":{"fallback_value":"x","month":13}}]}])")),
          1009, "template.components[0].parameters[0].date_time.month must be between 1 and 12");
  refused(request("template", tmpl(R"([{"type":"header","parameters":[{"type":"image","image":{"link":"x"}}]}])")),
          1009, "template.components[0].parameters[0].image.link must be an http(s) URL, got 'x'");
}

// The legacy form: https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#hsm-object
TEST_CASE("hsm: namespace, element_name, language and localizable_params") {
  auto r = accepted(request("hsm", R"({"namespace":"business_a_namespace","element_name":"hello_world",
    "language":{"policy":"deterministic","code":"en"},
    "localizable_params":[{"default":"1234"},
      {"default":"$100.99","currency":{"currency_code":"USD","amount_1000":100990}},
      {"default":"February 25, 1977","date_time":{"component":{"day_of_week":5,"day_of_month":25,"year":1977,"month":2,"hour":15,"minute":33}}},
      {"default":"February 25, 1977","date_time":{"unix_epoch":{"timestamp":1485470276}}}]})"));
  CHECK(r.type == "hsm");
  refused(request("hsm", R"({"namespace":"n","language":{"policy":"deterministic","code":"en"}})"),
          1008, "hsm.element_name is missing");
  refused(request("hsm", R"({"namespace":"n","element_name":"e","language":{"policy":"deterministic","code":"en"},"localizable_params":[{"currency":{"currency_code":"USD","amount_1000":1}}]})"),
          1008, "hsm.localizable_params[0].default is missing");
  refused(request("hsm", R"({"namespace":"n","element_name":"e","language":{"policy":"deterministic","code":"en"},"localizable_params":[{"default":"x","date_time":{}}]})"),
          1008, "hsm.localizable_params[0].date_time must have either component or unix_epoch");
  refused(request("hsm", R"({"namespace":"n","element_name":"e","language":{"policy":"deterministic","code":"en"},"localizable_params":[{"default":"x","text":"y"}]})"),
          1010, "unknown field 'hsm.localizable_params[0].text'");
}
