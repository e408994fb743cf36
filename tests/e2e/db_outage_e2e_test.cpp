#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <thread>
#include <unistd.h>

#include <httplib.h>

#include "support/processes.hpp"
#include "support/push_load.hpp"
#include "support/test_cluster.hpp"
#include "support/webhook_counter.hpp"

/// A database blip is not a failover: PostgreSQL (a private instance of
/// this test, so that other tests keep theirs) is stopped for 5 s under a
/// running cluster; afterwards no shard has moved and sends work again.
/// Under sends and inbound traffic, the same outage loses no status and no
/// inbound message: the coreapps stop acknowledging the pushes, the
/// simulator keeps them and pushes them again.

using namespace mc::test;
using namespace std::chrono_literals;

namespace {

/// A private PostgreSQL of deploy/pg-start, stopped and started at will.
class private_pg {
public:
  private_pg() {
    char tmpl[] = "/tmp/mc-pgblip-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    port_ = free_port();
    start();
  }

  ~private_pg() {
    run(script("pg-stop") + " " + dir_ + " --purge");
    std::system(("rm -rf " + dir_).c_str());
  }

  bool start() {
    return run(script("pg-start") + " " + dir_ + " " + std::to_string(port_)
               + " --fast");
  }

  bool stop() {
    return run(script("pg-stop") + " " + dir_);
  }

  /// The cluster role's base URI; its password is in `pass_file()`.
  std::string base_uri() const {
    return "postgresql://multiconnect@127.0.0.1:" + std::to_string(port_);
  }

  /// The 0600 libpq password file of the cluster role (deploy/pg-start).
  std::string pass_file() const {
    return dir_ + "/cluster.pgpass";
  }

private:
  static std::string script(const char* name) {
    return std::string{MC_SOURCE_DIR} + "/deploy/" + name;
  }

  static bool run(const std::string& cmd) {
    return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0;
  }

  std::string dir_;
  uint16_t port_ = 0;
};

} // namespace

TEST_CASE("a 5 s PostgreSQL outage moves no shard") {
  private_pg pg;
  // The cluster's scratch database lives on the private instance.
  ::setenv("MC_TEST_PG", pg.base_uri().c_str(), 1);
  // Every process the test starts finds the password there (pg-start uses
  // scram-sha-256 for every connection).
  ::setenv("PGPASSFILE", pg.pass_file().c_str(), 1);
  test_cluster c{"e2e_pgblip"};
  c.start_sim();
  c.start("master", "m1");
  c.start("coreapp", "c1");
  c.start("coreapp", "c2");
  c.start_webapp();
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 30s), c.logs());
  auto token = wait_for_admin_token(c.http_port(), 10s);
  REQUIRE_FALSE(token.empty());
  std::this_thread::sleep_for(1s);
  auto before = c.query("SELECT owner || '@' || epoch FROM shard_map "
                        "WHERE shard_id = 0");
  REQUIRE_FALSE(before.empty());
  REQUIRE(pg.stop());
  std::this_thread::sleep_for(5s);
  REQUIRE(pg.start());
  // The master retakes its lease and the coreapps heartbeat again; give
  // it several unhealthy intervals to do something foolish.
  std::this_thread::sleep_for(4s);
  auto after = c.query("SELECT owner || '@' || epoch FROM shard_map "
                       "WHERE shard_id = 0");
  MESSAGE("shard 0 before the outage " << before << ", after " << after);
  CHECK_MESSAGE(after == before, c.logs());
  httplib::Client api{"127.0.0.1", c.http_port()};
  api.set_read_timeout(20s);
  httplib::Headers auth{{"Authorization", "Bearer " + token}};
  auto ok = c.wait([&] {
    auto res = api.Post("/v1/messages", auth,
                        R"({"to":"15551000001","type":"text",)"
                        R"("text":{"body":"after the blip"}})",
                        "application/json");
    return res && res->status == 201;
  }, 10s);
  CHECK(ok);
}

TEST_CASE("a 5 s PostgreSQL outage under sends and inbound traffic loses "
          "no status and no inbound message") {
  private_pg pg;
  ::setenv("MC_TEST_PG", pg.base_uri().c_str(), 1);
  ::setenv("PGPASSFILE", pg.pass_file().c_str(), 1);
  webhook_counter hook;
  test_cluster c{"e2e_pgblip_load"};
  c.start_sim({"--sim-delivered-ms", "50", "--sim-read-ms", "150",
               "--sim-inbound-rate", "20"});
  c.start("master", "m1");
  c.start("coreapp", "c1");
  c.start("coreapp", "c2");
  c.start_webapp();
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 30s), c.logs());
  auto token = wait_for_admin_token(c.http_port(), 10s);
  REQUIRE_FALSE(token.empty());
  httplib::Client api{"127.0.0.1", c.http_port()};
  httplib::Headers auth{{"Authorization", "Bearer " + token}};
  auto patch = api.Patch("/v1/settings/application", auth,
                         R"({"webhooks":{"url":")" + hook.url()
                           + R"("},"sent_status":true})",
                         "application/json");
  REQUIRE(patch);
  REQUIRE(patch->status == 200);
  // The coreapps poll the settings: wait until a probe's sent status shows
  // sent_status is in force.
  std::string probe;
  REQUIRE(c.wait([&] {
    auto res = api.Post("/v1/messages", auth,
                        R"({"to":"15552000999","type":"text",)"
                        R"("text":{"body":"probe"}})",
                        "application/json");
    if (res && res->status == 201) {
      rapidjson::Document doc;
      doc.Parse(res->body.c_str());
      probe = doc["messages"][0]["id"].GetString();
    }
    return !probe.empty()
           && eventually([&] { return hook.has(probe + ":sent"); }, 1500ms);
  }, 20s));
  push_load load{c.http_port(), token, 40};
  load.start();
  std::this_thread::sleep_for(3s);
  REQUIRE(pg.stop());
  std::this_thread::sleep_for(5s);
  REQUIRE(pg.start());
  std::this_thread::sleep_for(4s);
  load.stop();
  std::string report;
  auto ok = nothing_lost(load, hook, c.sim_http_port(), 60s, report);
  MESSAGE(report);
  CHECK(load.accepted().size() > 200);
  CHECK_MESSAGE(ok, c.logs());
}
