#include <doctest/doctest.h>

#include <string>
#include <thread>

#include <httplib.h>
#include <rapidjson/document.h>

#include "support/downloading_hook.hpp"
#include "support/test_cluster.hpp"

using namespace mc::test;
using namespace std::chrono_literals;

TEST_CASE("inbound media: the webhook consumer downloads a user's picture by "
          "its id at once, with the digest the webhook names") {
  test_cluster c{"e2e_inbound_media"};
  c.start_sim();
  c.start("master", "m1");
  c.start("coreapp", "c1");
  c.start_webapp();
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 20s), c.logs());
  auto token = wait_for_admin_token(c.http_port(), 10s);
  REQUIRE_FALSE(token.empty());
  downloading_hook hook{c.http_port(), token};
  httplib::Client api{"127.0.0.1", c.http_port()};
  httplib::Headers auth{{"Authorization", "Bearer " + token}};
  auto patch = api.Patch("/v1/settings/application", auth,
                         R"({"webhooks":{"url":")" + hook.url() + R"("}})",
                         "application/json");
  REQUIRE(patch);
  REQUIRE(patch->status == 200);
  std::this_thread::sleep_for(1500ms); // nodes pick settings up within 1 s

  httplib::Client sim{"127.0.0.1", c.sim_http_port()};
  auto inject = [&](const std::string& fields) {
    auto res = sim.Post("/inbound",
                        R"({"account":"default","from":"15550002000",)"
                          + fields + "}",
                        "application/json");
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
  };
  inject(R"("id":"in-image","type":"image")");
  inject(R"("id":"in-document","type":"document")");
  // A media the upstream does not hold: the message still reaches the hook.
  inject(R"("id":"in-lost","message":{"type":"image","image":)"
         R"({"id":"no-such-media","mime_type":"image/png","sha256":"00"}})");
  auto all_in = [&] { return hook.seen().size() == 3; };
  REQUIRE_MESSAGE(c.wait(all_in, 30s), c.logs());
  auto seen = hook.seen();
  for (auto id : {"in-image", "in-document"}) {
    auto& s = seen[id];
    CAPTURE(id);
    CHECK(s.sha256.size() == 64);
    CHECK(s.get_status == 200);
    CHECK(s.got_sha256 == s.sha256);
    CHECK(s.got_type == s.mime_type);
  }
  CHECK(seen["in-image"].mime_type == "image/jpeg");
  CHECK(seen["in-document"].mime_type == "application/pdf");
  // The store holds them as received media, for every webapp.
  CHECK(c.query("SELECT count(*) FROM media WHERE id IN ('"
                + seen["in-image"].media_id + "','"
                + seen["in-document"].media_id + "')")
        == "2");
  CHECK(seen["in-lost"].get_status == 404);
}
