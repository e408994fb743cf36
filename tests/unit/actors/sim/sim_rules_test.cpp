#include <doctest/doctest.h>

#include "actors/sim/sim_rules.hpp"

using namespace mc;

namespace {

upstream_message msg(std::string payload, std::string type,
                     std::string to = "16315550000") {
  return upstream_message{"id1", std::move(to), std::move(payload),
                          std::move(type)};
}

const char* order_template
  = R"({"type":"template","template":{"namespace":"ns1","name":"order",)"
    R"("language":{"policy":"deterministic","code":"en"},"components":[)"
    R"({"type":"header","parameters":[{"type":"image","image":{"link":"https://cdn.example.com/a.png"}}]},)"
    R"({"type":"body","parameters":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]}})";

void add_order(sim_rules& r) {
  r.register_template({"ns1", "order", {"en", "en_US"}, {{"header", 1}, {"body", 2}}});
}

} // namespace

TEST_CASE("a registered template with the right counts is sent") {
  sim_rules r;
  add_order(r);
  CHECK(r.check(msg(order_template, "template")).code == 0);
  CHECK(r.check(msg(R"({"type":"text","text":{"body":"x"}})", "text")).code == 0);
}

TEST_CASE("an unknown template, name or language fails with 2001") {
  sim_rules none;
  auto v = none.check(msg(order_template, "template"));
  CHECK(v.code == 2001);
  CHECK(v.title == "Template Missing");
  sim_rules r;
  add_order(r);
  std::string fr = order_template;
  fr.replace(fr.find("\"code\":\"en\""), 11, "\"code\":\"fr\"");
  v = r.check(msg(fr, "template"));
  CHECK(v.code == 2001);
  CHECK(v.details == "template order does not exist in fr");
}

TEST_CASE("a wrong parameter count fails with 2000") {
  sim_rules r;
  r.register_template({"ns1", "order", {"en"}, {{"header", 1}, {"body", 3}}});
  auto v = r.check(msg(order_template, "template"));
  CHECK(v.code == 2000);
  CHECK(v.title == "Template Param Count Mismatch");
  CHECK(v.details == "body: number of parameters (2) does not match the "
                     "expected number of params (3)");
  // The legacy hsm counts its localizable_params as the body.
  r.register_template({"ns1", "hello", {"en"}, {{"body", 1}}});
  CHECK(r.check(msg(R"({"type":"hsm","hsm":{"namespace":"ns1","element_name":"hello","language":{"policy":"deterministic","code":"en"},"localizable_params":[{"default":"x"}]}})",
                    "hsm"))
          .code
        == 0);
  CHECK(r.check(msg(R"({"type":"hsm","hsm":{"namespace":"ns1","element_name":"hello","language":{"policy":"deterministic","code":"en"},"localizable_params":[]}})",
                    "hsm"))
          .code
        == 2000);
}

TEST_CASE("a media link on a bad host fails, and non-users fail with 1013") {
  sim_rules r;
  add_order(r);
  r.set_bad_link_hosts({"cdn.example.com"});
  auto v = r.check(msg(order_template, "template"));
  CHECK(v.code == 1014);
  CHECK(v.details == "media download failed: https://cdn.example.com/a.png");
  v = r.check(msg(R"({"type":"image","image":{"link":"https://cdn.example.com:8443/x.png"}})",
                  "image"));
  CHECK(v.code == 1014);
  CHECK(r.check(msg(R"({"type":"image","image":{"link":"https://ok.example.com/x.png"}})",
                    "image"))
          .code
        == 0);
  // Media by id is not fetched by link.
  CHECK(r.check(msg(R"({"type":"image","image":{"id":"m1"}})", "image")).code
        == 0);
  r.set_non_users({"15550001111"});
  v = r.check(msg(R"({"type":"text","text":{"body":"x"}})", "text",
                  "15550001111"));
  CHECK(v.code == 1013);
  CHECK(v.title == "User is not valid");
  r.clear();
  CHECK(r.check(msg(R"({"type":"text","text":{"body":"x"}})", "text",
                    "15550001111"))
          .code
        == 0);
}

TEST_CASE("the rules' non-users are those of the directory they use") {
  sim_rules r;
  auto dir = std::make_shared<sim_directory>();
  r.use_directory(dir);
  CHECK(r.directory() == dir);
  auto to = [](std::string n) {
    return msg(R"({"type":"text","text":{"body":"x"}})", "text", std::move(n));
  };
  dir->add_non_users({"15550002222"});
  CHECK(r.check(to("15550002222")).code == 1013);
  r.set_non_users({"15550003333"});
  CHECK(dir->is_non_user("15550003333"));
  CHECK_FALSE(dir->is_non_user("15550002222"));
  CHECK(dir->check({"15550003333"})[0].status == "invalid");
  r.clear();
  CHECK(dir->non_users().empty());
}
