#include <doctest/doctest.h>

#include <csignal>
#include <cstdio>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>
#include <thread>

#include <httplib.h>

#include "support/test_cluster.hpp"

using namespace mc::test;
using namespace std::chrono_literals;

namespace {

int post(uint16_t port, const std::string& token, const std::string& path,
         const std::string& body, std::string* answer = nullptr) {
  httplib::Client cli{"127.0.0.1", port};
  cli.set_read_timeout(30s);
  httplib::Headers h{{"Authorization", "Bearer " + token}};
  auto res = cli.Post(path.c_str(), h, body, "application/json");
  if (answer && res)
    *answer = res->body;
  return res ? res->status : 0;
}

std::string reshard_body(int shards) {
  return R"({"cc":"1","phone_number":"6315551234","cert":"Y2hhb3M=","shards":)"
         + std::to_string(shards) + "}";
}

} // namespace

TEST_CASE("chaos: under load, coreapps killed and frozen, the primary master "
          "killed and the shard count changed 1 -> 8 -> 32 -> 2: every 201 "
          "reaches the upstream exactly once, in per-recipient order") {
  test_cluster c{"e2e_chaos"};
  c.start_sim();
  c.start("master", "m1");
  c.start("master", "m2");
  // 32 shards need 32 live coreapps; two more are standbys for failovers.
  constexpr int coreapps = 34;
  for (int i = 1; i <= coreapps; ++i)
    c.start("coreapp", "c" + std::to_string(i));
  c.start_webapp();
  REQUIRE_MESSAGE(c.wait([&] {
                    return c.query("SELECT count(*) FROM nodes WHERE role = "
                                   "'coreapp' AND state <> 'starting'")
                             == std::to_string(coreapps)
                           && c.shard_owned(0);
                  }, 60s),
                  c.logs());
  auto token = wait_for_admin_token(c.http_port(), 10s);
  REQUIRE_FALSE(token.empty());
  REQUIRE(post(c.http_port(), token, "/v1/account",
               R"({"cc":"1","phone_number":"6315551234","cert":"Y2hhb3M="})")
          == 201);
  // Continuous load from the benchmark tool, which checks the upstream's
  // log against its 201s at the end (lost, duplicated, order).
  std::vector<std::string> load{
    std::string{MC_BINARY_DIR} + "/tests/loadgen",
    "--url", "http://127.0.0.1:" + std::to_string(c.http_port()),
    "--token", token, "--messages", "40000", "--recipients", "400",
    "--connections", "16", "--rate", "600", "--duration", "40",
    "--sim", "http://127.0.0.1:" + std::to_string(c.sim_http_port()),
    "--wait-delivered", "60"};
  auto log_path = "/tmp/mc-chaos-loadgen-" + std::to_string(::getpid());
  child_process loadgen{load, log_path};
  auto owner_of_0 = [&] {
    return c.query("SELECT owner FROM shard_map WHERE shard_id = 0");
  };
  std::this_thread::sleep_for(3s);
  // 1. kill -9 of a shard owner.
  auto victim = owner_of_0();
  REQUIRE_FALSE(victim.empty());
  c.kill(victim);
  c.start("coreapp", "c" + std::to_string(coreapps + 1));
  std::this_thread::sleep_for(3s);
  // 2. SIGSTOP and SIGCONT of a shard owner.
  victim = owner_of_0();
  REQUIRE_FALSE(victim.empty());
  c.node(victim).signal(SIGSTOP);
  std::this_thread::sleep_for(2500ms);
  c.node(victim).signal(SIGCONT);
  std::this_thread::sleep_for(1500ms);
  // 3. kill -9 of the primary master.
  auto primary = c.lease_holder();
  REQUIRE_FALSE(primary.empty());
  c.kill(primary);
  c.start("master", "m3");
  std::this_thread::sleep_for(2500ms);
  // 4. shard-count changes under load.
  for (int n : {8, 32, 2}) {
    std::string answer;
    auto t0 = std::chrono::steady_clock::now();
    auto status = post(c.http_port(), token, "/v1/account/shards",
                       reshard_body(n), &answer);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - t0).count();
    MESSAGE("shard count -> " << n << ": HTTP " << status << " in " << ms
                              << " ms");
    CHECK_MESSAGE(status == 201, answer);
    CHECK(c.query("SELECT shards FROM cluster") == std::to_string(n));
    std::this_thread::sleep_for(3s);
  }
  REQUIRE_MESSAGE(loadgen.wait_exit(120s), "loadgen did not finish");
  auto report = loadgen.log();
  MESSAGE(report);
  CHECK(WIFEXITED(loadgen.status()));
  CHECK(WEXITSTATUS(loadgen.status()) == 0);
  CHECK(report.find("failed 0") != std::string::npos);
  CHECK(report.find("lost 0") != std::string::npos);
  CHECK(report.find("duplicated 0") != std::string::npos);
  CHECK(report.find("order violations 0") != std::string::npos);
  std::remove(log_path.c_str());
}
