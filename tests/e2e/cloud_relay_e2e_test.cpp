#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "runtime/cloud/cloud_signature.hpp"
#include "support/test_cloud_sim.hpp"
#include "support/test_cluster.hpp"
#include "support/webhook_counter.hpp"

using namespace mc;
using namespace mc::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* verify_token = "e2e-verify";

/// A cluster relaying to a Cloud API simulator: one master, `coreapps`
/// coreapps, one webapp whose /v1/cloud/webhook the simulator posts to,
/// and an On-Prem webhook receiver set as the client's webhook.
struct cloud_bridge {
  test_cluster c;
  std::string secret_file;
  std::unique_ptr<test_cloud_sim> sim;
  webhook_counter hook;
  std::string token;

  cloud_bridge(const std::string& name, int coreapps, int shards,
               std::vector<std::string> sim_flags = {})
    : c(name) {
    secret_file = "/tmp/mc-cloud-secret-" + name + "-"
                  + std::to_string(::getpid());
    std::ofstream{secret_file} << "app-secret-" << name << "\n";
    c.start("master", "m1");
    if (shards > 1)
      REQUIRE(c.set_initial_shards(shards, 20s));
    c.start_webapp("w1", {"--upstream", "cloud", "--cloud-app-secret-file",
                          secret_file, "--cloud-verify-token", verify_token});
    std::vector<std::string> flags{
      "--cloud-sim-webhook",
      "http://127.0.0.1:" + std::to_string(c.http_port()) + "/v1/cloud/webhook",
      "--cloud-app-secret-file", secret_file, "--cloud-verify-token",
      verify_token, "--cloud-sim-delivered-ms", "50", "--cloud-sim-read-ms",
      "100", "--cloud-mps", "1000", "--cloud-mps-burst", "200",
      "--cloud-sim-pair-per-min", "6000", "--cloud-sim-pair-burst", "100"};
    flags.insert(flags.end(), sim_flags.begin(), sim_flags.end());
    sim = std::make_unique<test_cloud_sim>(name, flags);
    REQUIRE(sim->wait_ready(10s));
    for (int i = 1; i <= coreapps; ++i)
      c.start("coreapp", "c" + std::to_string(i), coreapp_flags());
    for (int s = 0; s < shards; ++s)
      REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(s); }, 20s),
                      c.logs());
    token = wait_for_admin_token(c.http_port(), 10s);
    REQUIRE_FALSE(token.empty());
    auto patch = api().Patch("/v1/settings/application", auth(),
                             R"({"webhooks":{"url":")" + hook.url()
                               + R"("},"sent_status":true})",
                             "application/json");
    REQUIRE(patch);
    REQUIRE(patch->status == 200);
    std::this_thread::sleep_for(1500ms); // nodes pick settings up in 1 s
  }

  ~cloud_bridge() {
    std::remove(secret_file.c_str());
  }

  std::vector<std::string> coreapp_flags() const {
    return {"--upstream", "cloud", "--cloud-url",
            "http://127.0.0.1:" + std::to_string(sim->port()),
            "--cloud-phone-number-id", test_cloud_sim::phone_number_id(),
            "--cloud-token-file", sim->dir() + "/token", "--cloud-mps",
            "1000"};
  }

  httplib::Client api() const {
    httplib::Client cli{"127.0.0.1", c.http_port()};
    cli.set_read_timeout(10, 0);
    return cli;
  }

  httplib::Headers auth() const {
    return {{"Authorization", "Bearer " + token}};
  }

  /// Sends `body` as a text to `to`; our id, or "" when not accepted.
  std::string send_text(const std::string& to, const std::string& body) {
    auto res = api().Post("/v1/messages", auth(),
                          R"({"to":")" + to + R"(","type":"text","text":)"
                            R"({"body":")"
                            + body + R"("}})",
                          "application/json");
    if (!res || res->status != 201)
      return {};
    rapidjson::Document d;
    d.Parse(res->body.c_str());
    return d["messages"][0]["id"].GetString();
  }

  /// Text bodies the simulator took, with how often each came.
  std::map<std::string, int> sim_bodies() {
    std::map<std::string, int> out;
    auto d = sim->query("/messages?from=0&limit=100000");
    if (!d.IsObject() || !d.HasMember("messages"))
      return out;
    for (auto& m : d["messages"].GetArray()) {
      rapidjson::Document body;
      body.Parse(m["body"].GetString());
      if (body.IsObject() && body.HasMember("text"))
        ++out[body["text"]["body"].GetString()];
    }
    return out;
  }
};

} // namespace

TEST_CASE("cloud relay: On-Prem sends, statuses, inbound messages and "
          "mark-as-read go through the Cloud API unchanged") {
  cloud_bridge b{"e2e_cloud", 2, 1};
  // Sends: every one taken by the Cloud API once, every status back at
  // the On-Prem webhook under our id.
  std::vector<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    auto id = b.send_text("1555000" + std::to_string(1000 + i % 10),
                          "cloud-" + std::to_string(i));
    REQUIRE_MESSAGE(!id.empty(), b.c.logs());
    ids.push_back(id);
  }
  auto all_statuses = [&] {
    for (auto& id : ids)
      if (!b.hook.has(id + ":sent") || !b.hook.has(id + ":delivered")
          || !b.hook.has(id + ":read"))
        return false;
    return true;
  };
  REQUIRE_MESSAGE(b.c.wait(all_statuses, 30s), (b.c.logs() + b.sim->log()));
  auto bodies = b.sim_bodies();
  int twice = 0;
  for (int i = 0; i < 100; ++i) {
    auto n = bodies["cloud-" + std::to_string(i)];
    CHECK(n >= 1);
    twice += n > 1 ? 1 : 0;
  }
  MESSAGE("sends taken twice by the Cloud API: ", twice,
          "; webhook duplicates: ", b.hook.duplicates());
  CHECK(twice == 0);
  // The wamid is kept against our id.
  CHECK(b.c.query("SELECT count(*) FROM cloud_messages") == "100");

  // Inbound: from a phone user and from one who hides the number.
  REQUIRE(b.sim->control("/inbound",
                         R"({"from":"15550009999","name":"Ana","body":)"
                         R"("hello from cloud"})")
          == 200);
  REQUIRE(b.sim->control("/inbound",
                         R"({"hide_number":true,"user_id":"US.1234567890",)"
                         R"("body":"hidden hello"})")
          == 200);
  REQUIRE_MESSAGE(b.c.wait(
                    [&] {
                      return b.hook.has("15550009999:hello from cloud")
                             && b.hook.has("US.1234567890:hidden hello");
                    },
                    20s),
                  (b.c.logs() + b.sim->log()));

  // Mark-as-read of an inbound message reaches the Cloud API.
  auto inbound_id = b.c.query(
    "SELECT id FROM inbound_messages WHERE sender = '15550009999' LIMIT 1");
  REQUIRE_FALSE(inbound_id.empty());
  auto read = b.api().Put("/v1/messages/" + inbound_id, b.auth(),
                          R"({"status":"read"})", "application/json");
  REQUIRE(read);
  CHECK_MESSAGE(read->status == 200, read->body);
  auto reads = b.sim->query("/reads");
  REQUIRE(reads.IsObject());
  CHECK(reads["total"].GetUint64() == 1);

  // Meta's verification GET, and a post with a bad signature.
  REQUIRE(b.sim->control("/webhooks/verify", "{}") == 200);
  httplib::Client web{"127.0.0.1", b.c.http_port()};
  auto bad = web.Post("/v1/cloud/webhook",
                      {{"X-Hub-Signature-256", "sha256=00"}},
                      R"({"object":"whatsapp_business_account","entry":[]})",
                      "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 401);
  auto wrong = web.Get("/v1/cloud/webhook?hub.mode=subscribe&hub.verify_token"
                       "=nope&hub.challenge=42");
  REQUIRE(wrong);
  CHECK(wrong->status == 403);
  auto right = web.Get(std::string{"/v1/cloud/webhook?hub.mode=subscribe&"
                                   "hub.verify_token="}
                       + verify_token + "&hub.challenge=42");
  REQUIRE(right);
  CHECK(right->status == 200);
  CHECK(right->body == "42");
}

TEST_CASE("cloud relay: an expired token stops the sends without failing "
          "them, health says so, a new token resumes them") {
  cloud_bridge b{"e2e_cloud_token", 1, 1};
  REQUIRE(b.sim->control("/fault", R"({"token":"expire"})") == 200);
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i)
    ids.push_back(b.send_text("15550002000", "tok-" + std::to_string(i)));
  for (auto& id : ids)
    REQUIRE_FALSE(id.empty());
  auto expired = [&] {
    auto res = b.api().Get("/v1/health", b.auth());
    return res && res->body.find("token_expired") != std::string::npos;
  };
  REQUIRE_MESSAGE(b.c.wait(expired, 10s), b.c.logs());
  for (auto& id : ids) {
    CHECK_FALSE(b.hook.has(id + ":failed"));
    CHECK_FALSE(b.hook.has(id + ":sent"));
  }
  b.sim->set_token("EAA-fresh-token");
  auto delivered = [&] {
    for (auto& id : ids)
      if (!b.hook.has(id + ":delivered"))
        return false;
    return true;
  };
  REQUIRE_MESSAGE(b.c.wait(delivered, 20s), (b.c.logs() + b.sim->log()));
  CHECK(b.sim_bodies().size() == 10);
}

TEST_CASE("cloud relay: a permanent Cloud error ends the message failed in "
          "the On-Prem shape") {
  cloud_bridge b{"e2e_cloud_fail", 1, 1};
  REQUIRE(b.sim->control("/fault",
                         R"({"fail_sends":{"count":1,"http_status":400,)"
                         R"("code":131026,"details":"undeliverable"}})")
          == 200);
  auto id = b.send_text("15550003000", "doomed");
  REQUIRE_FALSE(id.empty());
  REQUIRE_MESSAGE(b.c.wait([&] { return b.hook.has(id + ":failed"); }, 20s),
                  (b.c.logs() + b.sim->log()));
  // The next message to the same user goes through.
  auto next = b.send_text("15550003000", "fine");
  REQUIRE(b.c.wait([&] { return b.hook.has(next + ":delivered"); }, 20s));
}

TEST_CASE("cloud relay: kill -9 of a shard owner under load loses no "
          "accepted message and counts sends taken twice") {
  cloud_bridge b{"e2e_cloud_chaos", 3, 2};
  std::vector<std::string> ids;
  std::string killed;
  for (int i = 0; i < 300; ++i) {
    if (i == 120) {
      killed = b.c.query("SELECT owner FROM shard_map WHERE shard_id = 0");
      REQUIRE_FALSE(killed.empty());
      b.c.kill(killed);
    }
    // A send refused during the failover is retried once a little later.
    std::string id;
    for (int attempt = 0; attempt < 50 && id.empty(); ++attempt) {
      id = b.send_text("1555100" + std::to_string(1000 + i % 40),
                       "chaos-" + std::to_string(i));
      if (id.empty())
        std::this_thread::sleep_for(100ms);
    }
    REQUIRE_MESSAGE(!id.empty(), b.c.logs());
    ids.push_back(id);
  }
  auto all_delivered = [&] {
    for (auto& id : ids)
      if (!b.hook.has(id + ":delivered"))
        return false;
    return true;
  };
  auto in_time = b.c.wait(all_delivered, 60s);
  if (!in_time) {
    size_t missing = 0;
    for (auto& id : ids)
      missing += b.hook.has(id + ":delivered") ? 0 : 1;
    auto hooks = b.sim->query("/webhooks");
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w{buf};
    if (hooks.IsObject() && hooks.HasMember("counts"))
      hooks["counts"].Accept(w);
    MESSAGE("delivered statuses missing: ", missing, "; the simulator's "
            "webhook counts: ", buf.GetString());
  }
  REQUIRE_MESSAGE(in_time, (b.c.logs() + b.sim->log()));
  auto bodies = b.sim_bodies();
  int lost = 0;
  int twice = 0;
  for (int i = 0; i < 300; ++i) {
    auto n = bodies["chaos-" + std::to_string(i)];
    lost += n == 0 ? 1 : 0;
    twice += n > 1 ? 1 : 0;
  }
  MESSAGE("killed ", killed, ": lost ", lost, ", taken twice ", twice,
          " of 300; webhook duplicates ", b.hook.duplicates());
  CHECK(lost == 0);
  // Without an idempotency key, a send the Cloud API took but the dead
  // owner never recorded goes again: at most one per connection in flight
  // at the crash (--cloud-connections, 8 by default).
  CHECK(twice <= 8);
}

TEST_CASE("cloud relay: a media uploaded to /v1/media goes to the Cloud "
          "media endpoint and the message names the Cloud media id") {
  cloud_bridge b{"e2e_cloud_media", 1, 1};
  // A PNG signature and a little more: the store checks type and size.
  std::string image = "\x89PNG\r\n\x1a\n" + std::string(2000, 'p');
  auto up = b.api().Post("/v1/media", b.auth(), image, "image/png");
  REQUIRE(up);
  REQUIRE_MESSAGE(up->status == 201, up->body);
  rapidjson::Document d;
  d.Parse(up->body.c_str());
  std::string ours = d["media"][0]["id"].GetString();
  auto res = b.api().Post("/v1/messages", b.auth(),
                          R"({"to":"15550004000","type":"image","image":)"
                          R"({"id":")"
                            + ours + R"(","caption":"cloud pic"}})",
                          "application/json");
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 201, res->body);
  rapidjson::Document sent;
  sent.Parse(res->body.c_str());
  std::string id = sent["messages"][0]["id"].GetString();
  REQUIRE_MESSAGE(b.c.wait([&] { return b.hook.has(id + ":delivered"); },
                           20s),
                  (b.c.logs() + b.sim->log()));
  auto cloud_id = b.c.query("SELECT cloud_id FROM cloud_media WHERE id = '"
                            + ours + "'");
  REQUIRE_FALSE(cloud_id.empty());
  CHECK(cloud_id != ours);
  auto msgs = b.sim->query("/messages?from=0&limit=10");
  REQUIRE(msgs.IsObject());
  REQUIRE(msgs["messages"].Size() == 1);
  rapidjson::Document body;
  body.Parse(msgs["messages"][0]["body"].GetString());
  REQUIRE(body.IsObject());
  CHECK(std::string{body["image"]["id"].GetString()} == cloud_id);
  CHECK(std::string{body["image"]["caption"].GetString()} == "cloud pic");
  auto stats = b.sim->query("/stats");
  CHECK(stats["media"]["uploads"].GetUint64() == 1);
}
