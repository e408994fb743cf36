#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "support/cloud_bridge.hpp"

using namespace mc;
using namespace mc::test;
using namespace std::chrono_literals;

namespace {

/// Sends until accepted (a send refused during a failover or a shard-count
/// change is retried a little later, under the same idempotency key, so a
/// first attempt whose outcome was unknown is not a second message); our
/// id, or "" after 100 refusals.
std::string send_until_accepted(cloud_bridge& b, const std::string& to,
                                const std::string& body) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto id = b.send_text(to, body, "key-" + body);
    if (!id.empty())
      return id;
    std::this_thread::sleep_for(50ms);
  }
  return {};
}

/// Waits until every id in `ids` has a delivered status at the client's
/// webhook; prints what is missing and the simulator's webhook counts
/// when it does not come.
bool wait_delivered(cloud_bridge& b, const std::vector<std::string>& ids,
                    std::chrono::seconds timeout) {
  auto all = [&] {
    for (auto& id : ids)
      if (!b.hook.has(id + ":delivered"))
        return false;
    return true;
  };
  if (b.c.wait(all, timeout))
    return true;
  size_t missing = 0;
  for (auto& id : ids)
    missing += b.hook.has(id + ":delivered") ? 0 : 1;
  auto hooks = b.sim->query("/webhooks");
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  if (hooks.IsObject() && hooks.HasMember("counts"))
    hooks["counts"].Accept(w);
  MESSAGE("delivered statuses missing: ", missing,
          "; the simulator's webhook counts: ", buf.GetString());
  return false;
}

int post_shards(cloud_bridge& b, int shards, std::string& answer) {
  auto res = b.api().Post(
    "/v1/account/shards", b.auth(),
    R"({"cc":"1","phone_number":"6315551234","cert":"Y2xvdWQ=","shards":)"
      + std::to_string(shards) + "}",
    "application/json");
  if (!res)
    return 0;
  answer = res->body;
  return res->status;
}

} // namespace

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
    auto id = send_until_accepted(b, "1555100" + std::to_string(1000 + i % 40),
                                  "chaos-" + std::to_string(i));
    REQUIRE_MESSAGE(!id.empty(), b.c.logs());
    ids.push_back(id);
  }
  REQUIRE_MESSAGE(wait_delivered(b, ids, 60s), (b.c.logs() + b.sim->log()));
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

namespace {

/// What a run of reshard_under_load() counted at the Cloud API.
struct reshard_counts {
  int lost = 0;
  int twice = 0;
  int reordered = 0;
};

/// Five relaying coreapps; 4 threads send 150 texts each to ten
/// recipients of their own (each recipient's texts in order) while the
/// shard count goes 2 -> 4 -> 1 -> 2; then every text must be delivered.
/// Counts lost and twice-taken sends, and each recipient's order by the
/// first time each text reached the Cloud API.
reshard_counts reshard_under_load(const std::string& name) {
  reshard_counts out;
  cloud_bridge b{name, 5, 2};
  // The shard-count change names the registered account, as On-Prem's did.
  auto reg = b.api().Post("/v1/account", b.auth(),
                          R"({"cc":"1","phone_number":"6315551234",)"
                          R"("cert":"Y2xvdWQ="})",
                          "application/json");
  REQUIRE(reg);
  REQUIRE_MESSAGE(reg->status == 201, reg->body);
  constexpr int senders = 4;
  constexpr int per_sender = 150;
  std::atomic<int> accepted{0};
  std::vector<std::vector<std::string>> ids(senders);
  std::vector<std::thread> threads;
  for (int t = 0; t < senders; ++t)
    threads.emplace_back([&, t] {
      for (int n = 0; n < per_sender; ++n) {
        // Ten recipients per sender, each one's messages in order.
        auto to = "1555200" + std::to_string(1000 + t * 10 + n % 10);
        auto id = send_until_accepted(
          b, to, "rs-" + std::to_string(t) + "-" + std::to_string(n));
        if (id.empty())
          return;
        ids[t].push_back(id);
        ++accepted;
      }
    });
  auto wait_accepted = [&](int n) {
    return b.c.wait([&] { return accepted.load() >= n; }, 60s);
  };
  for (auto [at, shards] : {std::pair{100, 4}, {300, 1}, {450, 2}}) {
    REQUIRE(wait_accepted(at));
    std::string answer;
    auto t0 = std::chrono::steady_clock::now();
    auto status = post_shards(b, shards, answer);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - t0)
                .count();
    MESSAGE("shard count -> ", shards, ": HTTP ", status, " in ", ms, " ms");
    CHECK_MESSAGE(status == 201, answer);
  }
  for (auto& th : threads)
    th.join();
  std::vector<std::string> all;
  for (auto& xs : ids)
    all.insert(all.end(), xs.begin(), xs.end());
  REQUIRE(all.size() == senders * per_sender);
  REQUIRE_MESSAGE(wait_delivered(b, all, 60s), (b.c.logs() + b.sim->log()));
  CHECK(b.c.query("SELECT shards FROM cluster") == "2");

  auto& [lost, twice, reordered] = out;
  auto bodies = b.sim_bodies();
  for (int t = 0; t < senders; ++t)
    for (int n = 0; n < per_sender; ++n) {
      auto k = bodies["rs-" + std::to_string(t) + "-" + std::to_string(n)];
      lost += k == 0 ? 1 : 0;
      twice += k > 1 ? 1 : 0;
    }
  for (auto& [to, xs] : b.sim_bodies_by_recipient()) {
    std::map<std::string, bool> seen;
    int last = -1;
    for (auto& x : xs) {
      if (seen[x])
        continue;
      seen[x] = true;
      auto n = std::stoi(x.substr(x.rfind('-') + 1));
      reordered += n < last ? 1 : 0;
      last = n;
    }
  }
  MESSAGE("shard-count changes 2 -> 4 -> 1 -> 2 under load: lost ", lost,
          ", taken twice ", twice, ", reordered ", reordered, " of ",
          senders * per_sender, "; webhook duplicates ", b.hook.duplicates());
  return out;
}

} // namespace

TEST_CASE("cloud relay: shard-count changes under load lose no accepted "
          "message and count sends taken twice") {
  auto r = reshard_under_load("e2e_cloud_reshard");
  CHECK(r.lost == 0);
  // A restart-all fences the old owners before the new ones send: a send
  // goes twice only when the Cloud API took it and its owner was fenced
  // before recording the wamid, at most one per connection per change.
  CHECK(r.twice <= 3 * 8);
}

// Known open (issue 13): across shard-count changes, 0-15 of 600 texts
// reach the Cloud API after a later text to the same recipient (nothing
// is lost; measured in BENCHMARKS.md). The check still runs and prints;
// may_fail keeps it from failing the suite until that is fixed.
TEST_CASE("cloud relay: shard-count changes under load keep each "
          "recipient's order" * doctest::may_fail()) {
  auto r = reshard_under_load("e2e_cloud_reorder");
  CHECK(r.lost == 0);
  CHECK(r.reordered == 0);
}
