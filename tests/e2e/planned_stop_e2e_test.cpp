#include <doctest/doctest.h>

#include <atomic>
#include <csignal>
#include <mutex>
#include <sys/wait.h>
#include <thread>
#include <vector>

#include <httplib.h>
#include <rapidjson/document.h>

#include "support/test_cluster.hpp"
#include "support/webhook_counter.hpp"

/// Planned stops (SIGTERM) under load: the owner hands its shard over at
/// once, every accepted message gets its delivered status at the webhook,
/// and the node exits 0.

using namespace mc::test;
using namespace std::chrono_literals;

namespace {

/// Sends one message; returns its id on 201, "" otherwise.
std::string send_one(httplib::Client& api, const httplib::Headers& auth,
                     int n) {
  auto res = api.Post("/v1/messages", auth,
                      R"({"to":"1555100)" + std::to_string(1000 + n % 50)
                        + R"(","type":"text","text":{"body":"m)"
                        + std::to_string(n) + R"("}})",
                      "application/json");
  if (!res || res->status != 201)
    return {};
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  return doc["messages"][0]["id"].GetString();
}

} // namespace

TEST_CASE("SIGTERM of a shard owner under load hands the shard over at once "
          "and loses no delivered status") {
  webhook_counter hook;
  test_cluster c{"e2e_sigterm"};
  c.start_sim({"--sim-delivered-ms", "300", "--sim-read-ms", "0"});
  c.start("master", "m1");
  c.start("coreapp", "c1");
  c.start("coreapp", "c2");
  c.start_webapp();
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 30s), c.logs());
  auto token = wait_for_admin_token(c.http_port(), 10s);
  REQUIRE_FALSE(token.empty());
  httplib::Client api{"127.0.0.1", c.http_port()};
  api.set_read_timeout(20s);
  httplib::Headers auth{{"Authorization", "Bearer " + token}};
  auto patch = api.Patch("/v1/settings/application", auth,
                         R"({"webhooks":{"url":")" + hook.url() + R"("}})",
                         "application/json");
  REQUIRE(patch);
  REQUIRE(patch->status == 200);
  std::this_thread::sleep_for(1500ms); // settings reach the nodes
  std::mutex mtx;
  std::vector<std::string> ids;
  std::atomic<int> refused{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t)
    senders.emplace_back([&, t] {
      httplib::Client cli{"127.0.0.1", c.http_port()};
      cli.set_read_timeout(20s);
      for (int n = t; !stop.load(); n += 4) {
        auto id = send_one(cli, auth, n);
        if (id.empty()) {
          ++refused;
          continue;
        }
        std::lock_guard<std::mutex> guard{mtx};
        ids.push_back(id);
        std::this_thread::sleep_for(5ms);
      }
    });
  std::this_thread::sleep_for(2s);
  auto owner = c.query("SELECT owner FROM shard_map WHERE shard_id = 0");
  REQUIRE_FALSE(owner.empty());
  auto epoch = c.query("SELECT epoch FROM shard_map WHERE shard_id = 0");
  auto t0 = std::chrono::steady_clock::now();
  c.node(owner).signal(SIGTERM);
  // The shard moves as soon as its commit in flight finished: well under
  // the unhealthy interval (1 s), which a crash or a freeze would take.
  REQUIRE(c.wait([&] {
    auto o = c.query("SELECT owner FROM shard_map WHERE shard_id = 0");
    return !o.empty() && o != owner;
  }, 5s));
  auto moved_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - t0).count();
  MESSAGE("SIGTERM to the shard's move: " << moved_ms << " ms");
  CHECK(moved_ms < 700);
  CHECK(c.query("SELECT epoch FROM shard_map WHERE shard_id = 0") != epoch);
  REQUIRE(c.node(owner).wait_exit(10s));
  CHECK(WIFEXITED(c.node(owner).status()));
  CHECK(WEXITSTATUS(c.node(owner).status()) == 0);
  std::this_thread::sleep_for(2s); // load on the new owner
  stop = true;
  for (auto& t : senders)
    t.join();
  std::vector<std::string> accepted;
  {
    std::lock_guard<std::mutex> guard{mtx};
    accepted = ids;
  }
  REQUIRE(accepted.size() > 100);
  auto missing = [&] {
    size_t n = 0;
    for (auto& id : accepted)
      n += hook.has(id + ":delivered") ? 0 : 1;
    return n;
  };
  c.wait([&] { return missing() == 0; }, 20s);
  MESSAGE(accepted.size() << " accepted, " << refused.load()
          << " not accepted, " << missing() << " delivered statuses missing, "
          << hook.duplicates() << " duplicate posts");
  CHECK_MESSAGE(missing() == 0, c.logs());
}
