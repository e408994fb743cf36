#include <doctest/doctest.h>

#include <chrono>
#include <set>
#include <string>

#include <httplib.h>

#include "runtime/shard_hash.hpp"
#include "support/test_cluster.hpp"

/// The primary master pushes the shard map to webapps: after a failover or
/// a shard-count change the webapp routes to the new owners without its
/// database read, which these webapps do only every 5 s.

using namespace mc::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* account
  = R"("cc":"1","phone_number":"6315551234","cert":"cHVzaA==")";

/// A webapp whose fallback read of the map comes every 5 s only.
uint16_t start_slow_reading_webapp(test_cluster& c) {
  auto port = free_port();
  c.start("webapp", "w1",
          {"--http-port", std::to_string(port), "--http-threads", "32",
           "--map-poll-ms", "5000"});
  return port;
}

int post(uint16_t port, const std::string& token, const std::string& path,
         const std::string& body) {
  httplib::Client cli{"127.0.0.1", port};
  cli.set_read_timeout(20s);
  httplib::Headers h{{"Authorization", "Bearer " + token}};
  auto res = cli.Post(path.c_str(), h, body, "application/json");
  return res ? res->status : 0;
}

int send(uint16_t port, const std::string& token, const std::string& to) {
  return post(port, token, "/v1/messages",
              R"({"to":")" + to + R"(","type":"text","text":{"body":"x"}})");
}

/// True once the webapp's log says it took `line` from a push.
bool pushed(test_cluster& c, const std::string& line) {
  return c.node("w1").log().find(line + " (pushed)") != std::string::npos;
}

} // namespace

TEST_CASE("failover is pushed: the webapp routes to the new owner at once, "
          "not at its next database read") {
  test_cluster c{"e2e_push_failover"};
  c.start_sim();
  c.start("master", "m1");
  c.start("coreapp", "c1");
  c.start("coreapp", "c2");
  auto port = start_slow_reading_webapp(c);
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 20s), c.logs());
  auto token = wait_for_admin_token(port, 10s);
  REQUIRE_FALSE(token.empty());
  REQUIRE(c.wait([&] { return send(port, token, "15550000001") == 201; },
                 10s));
  auto owner = c.query("SELECT owner FROM shard_map WHERE shard_id = 0");
  auto standby = owner == "c1" ? "c2" : "c1";
  auto t0 = std::chrono::steady_clock::now();
  c.kill(owner);
  // No send in between, so no routing error asks the webapp to read.
  REQUIRE_MESSAGE(c.wait([&] {
                    return pushed(c, std::string{"shard 0 of 1 -> "} + standby
                                       + " epoch 2");
                  }, 2s),
                  c.logs());
  auto took = std::chrono::steady_clock::now() - t0;
  MESSAGE("new owner pushed to the webapp "
          << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
          << " ms after kill -9");
  CHECK(took < 1s);
  auto s0 = std::chrono::steady_clock::now();
  CHECK(send(port, token, "15550000002") == 201);
  CHECK(std::chrono::steady_clock::now() - s0 < 500ms);
}

TEST_CASE("a shard-count change is pushed: the webapp serves both new shards "
          "when the change answers") {
  test_cluster c{"e2e_push_reshard"};
  c.start_sim();
  c.start("master", "m1");
  c.start("coreapp", "c1");
  c.start("coreapp", "c2");
  c.start("coreapp", "c3");
  auto port = start_slow_reading_webapp(c);
  REQUIRE_MESSAGE(c.wait([&] {
                    return c.shard_owned(0)
                           && c.query("SELECT count(*) FROM nodes WHERE role = "
                                      "'coreapp' AND state <> 'starting'")
                                == "3";
                  }, 20s),
                  c.logs());
  auto token = wait_for_admin_token(port, 10s);
  REQUIRE_FALSE(token.empty());
  REQUIRE(post(port, token, "/v1/account", std::string{"{"} + account + "}")
          == 201);
  REQUIRE_MESSAGE(post(port, token, "/v1/account/shards",
                       std::string{"{"} + account + R"(,"shards":2})")
                    == 201,
                  c.logs());
  // Both shards of the new map came by push, none by a read.
  REQUIRE_MESSAGE(c.wait([&] {
                    return pushed(c, "shard 0 of 2 -> ")
                           || c.node("w1").log().find("shard 0 of 2 -> ")
                                != std::string::npos;
                  }, 2s),
                  c.logs());
  auto log = c.node("w1").log();
  for (auto shard : {"0", "1"}) {
    auto at = log.find(std::string{"shard "} + shard + " of 2 -> ");
    REQUIRE(at != std::string::npos);
    auto line = log.substr(at, log.find('\n', at) - at);
    CHECK_MESSAGE(line.find("(pushed)") != std::string::npos, line);
  }
  // Recipients on both shards are served at once.
  std::set<int32_t> shards;
  for (auto to : {"15550000001", "15550000002", "15550000003", "15550000004"})
    shards.insert(mc::shard_of(to, 2));
  REQUIRE(shards == std::set<int32_t>{0, 1});
  for (auto to : {"15550000001", "15550000002", "15550000003", "15550000004"}) {
    auto s0 = std::chrono::steady_clock::now();
    CHECK(send(port, token, to) == 201);
    CHECK(std::chrono::steady_clock::now() - s0 < 500ms);
  }
}
