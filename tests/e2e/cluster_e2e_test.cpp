#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>
#include <thread>

#include <httplib.h>
#include <rapidjson/document.h>

#include "support/test_cluster.hpp"

using namespace mc::test;
using namespace std::chrono_literals;

namespace {

/// GET /v1/health parsed; an empty object on failure.
rapidjson::Document health(const test_cluster& c) {
  rapidjson::Document doc;
  httplib::Client cli{"127.0.0.1", c.http_port()};
  cli.set_read_timeout(2s);
  httplib::Headers h{{"X-API-Key", c.query("SELECT api_key FROM cluster")}};
  auto res = cli.Get("/v1/health", h);
  if (res && res->status == 200)
    doc.Parse(res->body.c_str());
  if (!doc.IsObject())
    doc.SetObject();
  return doc;
}

std::string field(const rapidjson::Document& doc, const std::string& key,
                  const char* name) {
  if (!doc.HasMember("health") || !doc["health"].HasMember(key.c_str()))
    return {};
  auto& node = doc["health"][key.c_str()];
  if (!node.HasMember(name) || !node[name].IsString())
    return {};
  return node[name].GetString();
}

void start_basic_cluster(test_cluster& c) {
  c.start_sim();
  c.start("master", "m1");
  c.start("master", "m2");
  c.start("coreapp", "c1");
  c.start("coreapp", "c2");
  c.start_webapp();
}

int send(uint16_t port, const std::string& token, const std::string& to,
         const std::string& body, std::string* id = nullptr) {
  httplib::Client cli{"127.0.0.1", port};
  cli.set_read_timeout(10s);
  httplib::Headers h{{"Authorization", "Bearer " + token}};
  auto res = cli.Post("/v1/messages", h,
                      R"({"to":")" + to + R"(","type":"text","text":{"body":")"
                        + body + R"("}})",
                      "application/json");
  if (!res)
    return 0;
  if (id && res->status == 201) {
    rapidjson::Document doc;
    doc.Parse(res->body.c_str());
    *id = doc["messages"][0]["id"].GetString();
  }
  return res->status;
}

} // namespace

TEST_CASE("a cluster forms: shard 0 is activated on one coreapp and health "
          "lists every node with its role") {
  test_cluster c{"e2e_forms"};
  start_basic_cluster(c);
  REQUIRE_MESSAGE(c.wait([&] {
                    auto doc = health(c);
                    return field(doc, "127.0.0.1:m1", "role") != ""
                           && field(doc, "127.0.0.1:m2", "role") != ""
                           && field(doc, "127.0.0.1:c1", "role") != ""
                           && field(doc, "127.0.0.1:c2", "role") != ""
                           && (field(doc, "127.0.0.1:c1", "gateway_status")
                                 == "connected"
                               || field(doc, "127.0.0.1:c2", "gateway_status")
                                    == "connected");
                  }, 20s),
                  c.logs());
  auto doc = health(c);
  std::vector<std::string> roles{field(doc, "127.0.0.1:m1", "role"),
                                 field(doc, "127.0.0.1:m2", "role")};
  std::sort(roles.begin(), roles.end());
  CHECK(roles[0] == "primary_master");
  CHECK(roles[1] == "secondary_master");
  CHECK(field(doc, "127.0.0.1:c1", "role") == "coreapp");
  CHECK(field(doc, "127.0.0.1:w1", "role") == "webapp");
  // Exactly one coreapp owns shard 0, at epoch 1: its first activation.
  auto owner = c.query("SELECT owner FROM shard_map WHERE shard_id = 0");
  CHECK((owner == "c1" || owner == "c2"));
  CHECK(c.query("SELECT epoch FROM shard_map WHERE shard_id = 0") == "1");
  auto standby = owner == "c1" ? "c2" : "c1";
  CHECK(field(doc, "127.0.0.1:" + owner, "gateway_status") == "connected");
  CHECK(field(doc, std::string{"127.0.0.1:"} + standby, "gateway_status")
        == "disconnected");
  CHECK(c.node(owner).log().find("activated shard 0 epoch 1")
        != std::string::npos);
  // Monitoring routes: the API key works, nothing else does.
  httplib::Client cli{"127.0.0.1", c.http_port()};
  auto anonymous = cli.Get("/metrics");
  REQUIRE(anonymous);
  CHECK(anonymous->status == 401);
  CHECK(anonymous->body.find("\"code\":1005") != std::string::npos);
  httplib::Headers key{{"X-API-Key", c.query("SELECT api_key FROM cluster")}};
  auto metrics = cli.Get("/metrics", key);
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK(metrics->body.find("multiconnect_shards 1\n") != std::string::npos);
  CHECK(metrics->body.find("multiconnect_shards_unowned 0\n")
        != std::string::npos);
  CHECK(metrics->body.find("multiconnect_live_nodes{role=\"coreapp\"} 2")
        != std::string::npos);
  auto stats = cli.Get("/v1/stats", key);
  REQUIRE(stats);
  CHECK(stats->status == 200);
  CHECK(stats->body.find("\"shards\":1") != std::string::npos);
}

TEST_CASE("health shows a dead node as disconnected instead of dropping it") {
  test_cluster c{"e2e_dead"};
  start_basic_cluster(c);
  REQUIRE_MESSAGE(c.wait([&] {
                    return field(health(c), "127.0.0.1:m2", "role") != "";
                  }, 20s),
                  c.logs());
  c.node("m2").signal(SIGSTOP);
  REQUIRE_MESSAGE(c.wait([&] {
                    auto doc = health(c);
                    return field(doc, "127.0.0.1:m2", "gateway_status")
                             == "disconnected"
                           && field(doc, "127.0.0.1:m2", "state")
                                == "unreachable";
                  }, 5s),
                  c.logs());
  c.node("m2").signal(SIGCONT);
  CHECK(c.wait([&] {
    return field(health(c), "127.0.0.1:m2", "gateway_status") == "connected";
  }, 5s));
}

namespace {

/// The kill -9 failover check, on a cluster as `c`'s launcher sets it up.
void check_kill9_failover(test_cluster& c) {
  start_basic_cluster(c);
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 20s),
                  c.logs());
  auto token = wait_for_admin_token(c.http_port(), 10s);
  REQUIRE_FALSE(token.empty());
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    std::string id;
    REQUIRE(send(c.http_port(), token, "1555000000" + std::to_string(i % 3),
                 "before " + std::to_string(i), &id) == 201);
    ids.push_back(id);
  }
  auto owner = c.query("SELECT owner FROM shard_map WHERE shard_id = 0");
  auto t0 = std::chrono::steady_clock::now();
  c.kill(owner);
  std::string id;
  REQUIRE_MESSAGE(send(c.http_port(), token, "15550000001", "after", &id)
                    == 201,
                  c.logs());
  auto took = std::chrono::steady_clock::now() - t0;
  MESSAGE("first 201 after kill -9 of the owner: "
          << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
          << " ms");
  CHECK(took < 1s);
  ids.push_back(id);
  CHECK(c.query("SELECT owner FROM shard_map WHERE shard_id = 0") != owner);
  CHECK(c.query("SELECT epoch FROM shard_map WHERE shard_id = 0") == "2");
  // Every accepted message reaches the upstream exactly once.
  httplib::Client sim{"127.0.0.1", c.sim_http_port()};
  REQUIRE(c.wait([&] {
    auto res = sim.Get("/stats");
    if (!res)
      return false;
    rapidjson::Document doc;
    doc.Parse(res->body.c_str());
    return doc.IsObject() && doc["accepted"].GetInt64() >= 21;
  }, 10s));
  auto log = sim.Get("/log");
  REQUIRE(log);
  for (auto& x : ids) {
    auto first = log->body.find(x);
    CHECK(first != std::string::npos);
    CHECK(log->body.find(x, first + 1) == std::string::npos);
  }
}

} // namespace

TEST_CASE("kill -9 of the shard owner: the standby serves the shard within "
          "a second and accepted messages reach the upstream once") {
  test_cluster c{"e2e_failover"};
  check_kill9_failover(c);
}

TEST_CASE("with mutual TLS between every node the cluster forms and a kill "
          "-9 of the shard owner fails over within a second") {
  test_cluster c{"e2e_failover_tls"};
  c.use_tls();
  check_kill9_failover(c);
  CHECK(c.logs().find("CAF links are plain") == std::string::npos);
}

TEST_CASE("with every master down, coreapps and webapps keep serving") {
  test_cluster c{"e2e_nomaster"};
  start_basic_cluster(c);
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 20s),
                  c.logs());
  auto token = wait_for_admin_token(c.http_port(), 10s);
  REQUIRE_FALSE(token.empty());
  c.kill("m1");
  c.kill("m2");
  // Well past the lease: nobody supervises any more.
  std::this_thread::sleep_for(1500ms);
  CHECK(c.lease_holder().empty());
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) {
    std::string id;
    CHECK(send(c.http_port(), token, "1555000100" + std::to_string(i),
               "no master", &id) == 201);
    ids.push_back(id);
  }
  httplib::Client sim{"127.0.0.1", c.sim_http_port()};
  CHECK(c.wait([&] {
    auto log = sim.Get("/log");
    if (!log)
      return false;
    for (auto& id : ids)
      if (log->body.find(id) == std::string::npos)
        return false;
    return true;
  }, 10s));
}

TEST_CASE("a token from one webapp works on another, and logout revokes it "
          "on both") {
  test_cluster c{"e2e_twoweb"};
  start_basic_cluster(c);
  auto first_port = c.http_port();
  c.start_webapp("w2");
  auto second_port = c.http_port();
  REQUIRE(first_port != second_port);
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 20s),
                  c.logs());
  auto token = wait_for_admin_token(first_port, 10s);
  REQUIRE_FALSE(token.empty());
  REQUIRE(c.wait([&] {
    return send(second_port, token, "15550000300", "from w2") == 201;
  }, 10s));
  httplib::Client w1{"127.0.0.1", first_port};
  httplib::Headers auth{{"Authorization", "Bearer " + token}};
  auto out = w1.Post("/v1/users/logout", auth, "", "application/json");
  REQUIRE(out);
  CHECK(out->status == 200);
  CHECK(send(first_port, token, "15550000301", "after logout") == 401);
  // The other webapp learns of the revocation from the database.
  CHECK(c.wait([&] {
    return send(second_port, token, "15550000302", "after logout") == 401;
  }, 5s));
}
