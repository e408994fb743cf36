#include <doctest/doctest.h>

#include <csignal>
#include <sys/wait.h>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "support/fault_load.hpp"
#include "support/test_cluster.hpp"
#include "support/test_front.hpp"
#include "support/webhook_counter.hpp"

/// A rolling restart under load, as deploy/rolling-restart does it: every
/// coreapp, then every master, then every webapp of a 4-shard cluster gets
/// SIGTERM (a planned stop) and is started again with the same flags, the
/// next only once it is back and serving. Clients go through the front
/// before both webapps. No request fails, nothing is lost.

using namespace mc::test;
using namespace std::chrono_literals;

namespace {

bool node_live(test_cluster& c, const std::string& id) {
  return c.query("SELECT live FROM cluster_status WHERE node_id = '" + id
                 + "'")
         == "t";
}

bool shards_served(test_cluster& c) {
  return c.query("SELECT count(*) FROM shard_map s JOIN cluster k ON k.id = 1 "
                 "WHERE s.shard_id < k.shards AND NOT EXISTS (SELECT 1 FROM "
                 "cluster_status v WHERE v.node_id = s.owner AND v.live)")
         == "0";
}

bool healthz(uint16_t port) {
  httplib::Client cli{"127.0.0.1", port};
  cli.set_read_timeout(2s);
  auto res = cli.Get("/healthz");
  return res && res->status == 200;
}

} // namespace

TEST_CASE("rolling restart of every coreapp, master and webapp of a 4-shard "
          "cluster under load fails no request and loses nothing"
          * doctest::timeout(240)) {
  webhook_counter hook;
  test_cluster c{"e2e_rolling"};
  c.start_sim({"--sim-delivered-ms", "200", "--sim-read-ms", "500"});
  c.start("master", "m1");
  c.start("master", "m2");
  REQUIRE_MESSAGE(c.set_initial_shards(4, 30s), c.logs());
  std::vector<std::string> cores{"c1", "c2", "c3", "c4", "c5"};
  for (auto& id : cores)
    c.start("coreapp", id);
  c.start_webapp("w1", {"--trusted-proxy", "127.0.0.1"});
  auto w1 = c.http_port();
  c.start_webapp("w2", {"--trusted-proxy", "127.0.0.1"});
  auto w2 = c.http_port();
  REQUIRE_MESSAGE(c.wait([&] {
                    return c.shard_owned(0) && c.shard_owned(3)
                           && shards_served(c);
                  }, 30s),
                  c.logs());
  test_front front{{w1, w2}, 100000};
  REQUIRE(front.wait_ready(10s));
  auto token = wait_for_admin_token(w1, 10s);
  REQUIRE_FALSE(token.empty());
  httplib::Client api{"127.0.0.1", w1};
  auto patch = api.Patch("/v1/settings/application",
                         {{"Authorization", "Bearer " + token}},
                         R"({"webhooks":{"url":")" + hook.url() + R"("}})",
                         "application/json");
  REQUIRE(patch);
  REQUIRE(patch->status == 200);
  std::this_thread::sleep_for(1500ms); // settings reach the coreapps
  load_plan plan;
  plan.api = {"http://127.0.0.1:" + std::to_string(front.port())};
  plan.token = token;
  plan.rate = 150;
  plan.duration = 40s;
  plan.inbound_rate = 20;
  plan.sim_port = c.sim_http_port();
  fault_load load{plan, hook};
  load.start();
  std::this_thread::sleep_for(2s);
  auto t0 = std::chrono::steady_clock::now();
  auto restart = [&](const std::string& id, auto back) {
    auto t = std::chrono::steady_clock::now();
    c.node(id).signal(SIGTERM);
    REQUIRE_MESSAGE(c.node(id).wait_exit(10s), id << " ignored SIGTERM");
    CHECK_MESSAGE(WIFEXITED(c.node(id).status()), id);
    c.restart(id);
    REQUIRE_MESSAGE(c.wait(back, 30s), id << " not back\n" << c.logs());
    MESSAGE(id << " back in "
               << std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - t).count()
               << " ms");
    std::this_thread::sleep_for(1s);
  };
  for (auto& id : cores)
    restart(id, [&] { return node_live(c, id) && shards_served(c); });
  for (auto id : {"m1", "m2"})
    restart(id, [&] {
      return node_live(c, id) && !c.lease_holder().empty();
    });
  restart("w1", [&] { return healthz(w1); });
  restart("w2", [&] { return healthz(w2); });
  auto total_s = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - t0).count() / 1000.0;
  MESSAGE("9 nodes restarted in " << total_s << " s");
  CHECK(load.accepted() > 0);
  auto r = load.count(30s);
  MESSAGE(r.summary());
  CHECK(r.refused_total() == 0);
  CHECK_MESSAGE(r.sends_lost == 0, c.logs());
  CHECK(r.fencing_violations == 0);
  CHECK(r.statuses_lost == 0);
  CHECK(r.inbound_lost == 0);
  CHECK(r.duplicate_ratio() < 0.001);
}
