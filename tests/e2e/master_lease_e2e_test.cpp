#include <doctest/doctest.h>

#include <csignal>
#include <thread>

#include "runtime/store/migrations.hpp"
#include "support/test_cluster.hpp"

using namespace mc::test;
using namespace std::chrono_literals;

namespace {

std::string other_than(const std::string& id, std::vector<std::string> ids) {
  for (auto& x : ids)
    if (x != id)
      return x;
  return {};
}

} // namespace

TEST_CASE("two masters started together: the schema is migrated once and "
          "exactly one becomes primary") {
  test_cluster c{"e2e_mig"};
  c.start("master", "m1");
  c.start("master", "m2");
  REQUIRE_MESSAGE(c.wait([&] { return !c.lease_holder().empty(); }, 10s),
                  c.logs());
  CHECK(c.query("SELECT count(*) FROM schema_version")
        == std::to_string(
          mc::list_migrations(MC_SOURCE_DIR "/schema").size()));
  auto applied = [&](const std::string& id) {
    return c.node(id).log().find("applied") != std::string::npos;
  };
  CHECK(applied("m1") != applied("m2"));
  auto holder = c.lease_holder();
  CHECK((holder == "m1" || holder == "m2"));
  // The holder keeps it: the lease is renewed, not re-taken.
  auto epoch = c.query("SELECT epoch FROM master_lease");
  std::this_thread::sleep_for(1500ms);
  CHECK(c.lease_holder() == holder);
  CHECK(c.query("SELECT epoch FROM master_lease") == epoch);
}

TEST_CASE("kill -9 of the primary master: another takes over within 2 s "
          "with a higher epoch") {
  test_cluster c{"e2e_kill"};
  std::vector<std::string> ids{"m1", "m2", "m3"};
  for (auto& id : ids)
    c.start("master", id);
  REQUIRE_MESSAGE(c.wait([&] { return !c.lease_holder().empty(); }, 10s),
                  c.logs());
  auto old = c.lease_holder();
  auto old_epoch = std::stoll(c.query("SELECT epoch FROM master_lease"));
  auto t0 = std::chrono::steady_clock::now();
  c.kill(old);
  REQUIRE_MESSAGE(c.wait([&] {
                    auto h = c.lease_holder();
                    return !h.empty() && h != old;
                  }, 5s),
                  c.logs());
  auto took = std::chrono::steady_clock::now() - t0;
  MESSAGE("takeover after kill -9 in "
          << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
          << " ms");
  CHECK(took < 2s);
  CHECK(std::stoll(c.query("SELECT epoch FROM master_lease")) > old_epoch);
}

TEST_CASE("SIGSTOP of the primary master: a secondary takes over within 2 s "
          "and the frozen one steps down without acting when it wakes") {
  test_cluster c{"e2e_stop"};
  c.start_sim();
  c.start("master", "m1");
  c.start("master", "m2");
  c.start("coreapp", "c1");
  c.start("coreapp", "c2");
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 15s),
                  c.logs());
  auto old = c.lease_holder();
  REQUIRE_FALSE(old.empty());
  auto shard_epoch = c.query("SELECT epoch FROM shard_map WHERE shard_id = 0");
  auto t0 = std::chrono::steady_clock::now();
  c.node(old).signal(SIGSTOP);
  REQUIRE_MESSAGE(c.wait([&] {
                    auto h = c.lease_holder();
                    return !h.empty() && h != old;
                  }, 5s),
                  c.logs());
  auto took = std::chrono::steady_clock::now() - t0;
  MESSAGE("takeover after SIGSTOP in "
          << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
          << " ms");
  CHECK(took < 2s);
  auto new_holder = c.lease_holder();
  CHECK(new_holder == other_than(old, {"m1", "m2"}));
  // While it was frozen the new primary left the healthy shard alone.
  CHECK(c.query("SELECT epoch FROM shard_map WHERE shard_id = 0")
        == shard_epoch);
  auto log_before = c.node(old).log().size();
  c.node(old).signal(SIGCONT);
  REQUIRE_MESSAGE(c.wait([&] {
                    return c.node(old).log().find("stepping down")
                           != std::string::npos;
                  }, 5s),
                  c.logs());
  std::this_thread::sleep_for(1s);
  CHECK(c.lease_holder() == new_holder);
  CHECK(c.query("SELECT epoch FROM shard_map WHERE shard_id = 0")
        == shard_epoch);
  auto woke = c.node(old).log().substr(log_before);
  CHECK(woke.find("moving shard") == std::string::npos);
  CHECK(woke.find("became primary") == std::string::npos);
}
