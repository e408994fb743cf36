#include <doctest/doctest.h>

#include <string>
#include <thread>

#include <httplib.h>
#include <rapidjson/document.h>

#include "support/processes.hpp"
#include "support/test_cluster.hpp"

/// The callback queue is bounded: while a webhook is down its rows pile up
/// to the cap, then new sends answer 1016 (as On-Prem's queue did) and
/// /v1/health and /metrics say the queue is full; expired callbacks are
/// pruned by the primary master, and sends are accepted again.

using namespace mc::test;
using namespace std::chrono_literals;

TEST_CASE("a full callback queue refuses sends with 1016 until its rows "
          "expire") {
  test_cluster c{"e2e_cbcap"};
  std::vector<std::string> cap{"--callback-queue-cap", "5"};
  c.start_sim({"--sim-delivered-ms", "20", "--sim-read-ms", "0"});
  // Expiry 3 s, pruned every 200 ms.
  c.start("master", "m1", {"--callback-expiry-s", "3", "--prune-period-ms",
                           "200"});
  c.start("coreapp", "c1", cap);
  c.start_webapp("w1", cap);
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 30s), c.logs());
  auto token = wait_for_admin_token(c.http_port(), 10s);
  REQUIRE_FALSE(token.empty());
  httplib::Client api{"127.0.0.1", c.http_port()};
  api.set_read_timeout(20s);
  httplib::Headers auth{{"Authorization", "Bearer " + token}};
  // A webhook nobody listens on: every callback stays queued.
  auto dead = free_port();
  auto patch = api.Patch("/v1/settings/application", auth,
                         R"({"webhooks":{"url":"http://127.0.0.1:)"
                           + std::to_string(dead) + R"(/hook"}})",
                         "application/json");
  REQUIRE(patch);
  REQUIRE(patch->status == 200);
  std::this_thread::sleep_for(1500ms);
  auto send = [&] {
    auto res = api.Post("/v1/messages", auth,
                        R"({"to":"15551000001","type":"text",)"
                        R"("text":{"body":"queued"}})",
                        "application/json");
    return res ? res->status : 0;
  };
  for (int i = 0; i < 5; ++i)
    REQUIRE(send() == 201);
  // Five delivered statuses fill the queue; the coreapp counts it once a
  // second.
  REQUIRE_MESSAGE(c.wait([&] {
                    return c.query("SELECT count(*) FROM callbacks") == "5";
                  }, 10s),
                  c.logs());
  int refused = 0;
  c.wait([&] {
    auto res = api.Post("/v1/messages", auth,
                        R"({"to":"15551000001","type":"text",)"
                        R"("text":{"body":"refused"}})",
                        "application/json");
    if (res && res->status != 201) {
      rapidjson::Document doc;
      doc.Parse(res->body.c_str());
      refused = doc["errors"][0]["code"].GetInt();
      return true;
    }
    return false;
  }, 3s);
  CHECK(refused == 1016);
  auto health = api.Get("/v1/health", auth);
  REQUIRE(health);
  rapidjson::Document h;
  h.Parse(health->body.c_str());
  REQUIRE(h.HasMember("callback_queue"));
  CHECK(h["callback_queue"]["full"].GetBool());
  CHECK(h["callback_queue"]["cap"].GetInt() == 5);
  auto metrics = api.Get("/metrics", auth);
  REQUIRE(metrics);
  CHECK(metrics->body.find("multiconnect_callback_queue_full 1")
        != std::string::npos);
  // The rows expire (3 s) and are pruned; sends are accepted again.
  CHECK(c.wait([&] {
    return c.query("SELECT count(*) FROM callbacks") == "0";
  }, 10s));
  CHECK(c.wait([&] { return send() == 201; }, 5s));
}
