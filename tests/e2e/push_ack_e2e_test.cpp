#include <doctest/doctest.h>

#include <string>
#include <thread>

#include <httplib.h>
#include <rapidjson/document.h>

#include "support/push_load.hpp"
#include "support/test_cluster.hpp"
#include "support/webhook_counter.hpp"

/// Acknowledged pushes end to end: receipts and inbound messages that
/// arrive while no webhook URL is set wait in the callback queue and are
/// delivered once one is; a shard owner killed under sends and inbound
/// traffic loses no status and no inbound message (the simulator pushes
/// what its session did not acknowledge to the next owner).

using namespace mc::test;
using namespace std::chrono_literals;

namespace {

bool patch_settings(uint16_t port, const std::string& token,
                    const std::string& body) {
  httplib::Client api{"127.0.0.1", port};
  httplib::Headers auth{{"Authorization", "Bearer " + token}};
  auto res = api.Patch("/v1/settings/application", auth, body,
                       "application/json");
  return res && res->status == 200;
}

} // namespace

TEST_CASE("receipts and inbound messages that arrive while no webhook is "
          "set are delivered once one is") {
  webhook_counter hook;
  test_cluster c{"e2e_nohook"};
  c.start_sim({"--sim-delivered-ms", "20", "--sim-read-ms", "40",
               "--sim-inbound-rate", "10"});
  c.start("master", "m1");
  c.start("coreapp", "c1");
  c.start_webapp();
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 30s), c.logs());
  auto token = wait_for_admin_token(c.http_port(), 10s);
  REQUIRE_FALSE(token.empty());
  push_load load{c.http_port(), token, 20};
  load.start();
  std::this_thread::sleep_for(2s);
  load.stop();
  REQUIRE(load.accepted().size() >= 20);
  // Every receipt was acknowledged (persisted), with no webhook to post to.
  REQUIRE(c.wait([&] {
    return sim_stat(c.sim_http_port(), "receipts")
             >= 2 * load.accepted().size()
           && sim_stat(c.sim_http_port(), "unacked") == 0;
  }, 20s));
  auto queued = std::stoll(c.query("SELECT count(*) FROM callbacks"));
  MESSAGE("callbacks queued without a webhook: " << queued);
  CHECK(queued >= static_cast<long long>(2 * load.accepted().size()));
  CHECK(hook.count_prefix("message:") == 0);
  REQUIRE(patch_settings(c.http_port(), token,
                         R"({"webhooks":{"url":")" + hook.url() + R"("}})"));
  auto delivered = c.wait([&] {
    for (auto& id : load.accepted())
      if (!hook.has(id + ":delivered") || !hook.has(id + ":read"))
        return false;
    return hook.count_prefix("message:") > 0;
  }, 20s);
  CHECK_MESSAGE(delivered, c.logs());
}

TEST_CASE("kill -9 of a shard owner under sends and inbound traffic loses "
          "no status and no inbound message") {
  webhook_counter hook;
  test_cluster c{"e2e_kill_pushes"};
  c.start_sim({"--sim-delivered-ms", "50", "--sim-read-ms", "150",
               "--sim-inbound-rate", "20"});
  c.start("master", "m1");
  c.start("coreapp", "c1");
  c.start("coreapp", "c2");
  c.start_webapp();
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 30s), c.logs());
  auto token = wait_for_admin_token(c.http_port(), 10s);
  REQUIRE_FALSE(token.empty());
  REQUIRE(patch_settings(c.http_port(), token,
                         R"({"webhooks":{"url":")" + hook.url()
                           + R"("},"sent_status":true})"));
  // sent_status reaches the coreapps by their settings poll.
  std::this_thread::sleep_for(3s);
  push_load load{c.http_port(), token, 40};
  load.start();
  std::this_thread::sleep_for(3s);
  auto victim = c.query("SELECT owner FROM shard_map WHERE shard_id = 0");
  REQUIRE_FALSE(victim.empty());
  c.kill(victim);
  std::this_thread::sleep_for(5s);
  load.stop();
  auto after = c.query("SELECT owner FROM shard_map WHERE shard_id = 0");
  MESSAGE("shard 0 moved from " << victim << " to " << after);
  CHECK(after != victim);
  std::string report;
  auto ok = nothing_lost(load, hook, c.sim_http_port(), 60s, report);
  MESSAGE(report);
  CHECK(load.accepted().size() > 200);
  CHECK_MESSAGE(ok, c.logs());
}
