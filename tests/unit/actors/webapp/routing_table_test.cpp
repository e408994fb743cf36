#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include <caf/all.hpp>

#include "actors/webapp/routing_table.hpp"

/// The routing table's hold: a held shard's route waits for the release,
/// never past the deadline, and is refused when the shard count changed.

using namespace mc;
using namespace std::chrono_literals;

namespace {

struct node_fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::actor node = sys.spawn([]() -> caf::behavior {
    return {[](int) {}};
  });
  ~node_fixture() {
    caf::anon_send_exit(node, caf::exit_reason::user_shutdown);
  }

  std::vector<shard_route> routes(int n, int64_t epoch) {
    std::vector<shard_route> out;
    for (int i = 0; i < n; ++i)
      out.push_back({i, epoch, "core", node});
    return out;
  }
};

} // namespace

TEST_CASE_FIXTURE(node_fixture, "a held shard waits for the release and then "
                                "gets the new route") {
  routing_table t;
  auto clock = std::chrono::steady_clock::now;
  t.install(2, routes(2, 5), {0}, clock() + 5s);
  // The other shard is not held.
  auto r1 = t.route(1);
  REQUIRE(r1.has_value());
  CHECK(r1->epoch == 5);
  std::thread release{[&] {
    std::this_thread::sleep_for(50ms);
    t.install(2, routes(2, 6), {}, clock());
  }};
  auto t0 = clock();
  auto r0 = t.route(0);
  auto waited = clock() - t0;
  release.join();
  REQUIRE(r0.has_value());
  CHECK(r0->epoch == 6);
  CHECK(waited >= 40ms);
  CHECK(waited < 4s);
}

TEST_CASE_FIXTURE(node_fixture, "a hold never outlasts its deadline") {
  routing_table t;
  auto clock = std::chrono::steady_clock::now;
  t.install(1, routes(1, 5), {0}, clock() + 100ms);
  auto t0 = clock();
  auto r = t.route(0);
  auto waited = clock() - t0;
  REQUIRE(r.has_value()); // routed by the map as it is
  CHECK(r->epoch == 5);
  CHECK(waited >= 90ms);
  CHECK(waited < 2s);
}

TEST_CASE_FIXTURE(node_fixture, "released under a new shard count, a held "
                                "route is refused: the caller's shard number "
                                "is stale") {
  routing_table t;
  auto clock = std::chrono::steady_clock::now;
  t.install(1, routes(1, 5), {0}, clock() + 5s);
  std::thread release{[&] {
    std::this_thread::sleep_for(20ms);
    t.install(4, routes(4, 7), {}, clock());
  }};
  auto r = t.route(0);
  release.join();
  CHECK_FALSE(r.has_value());
  CHECK(t.shards() == 4);
  // Asked again with the new count, it routes.
  auto again = t.route(0);
  REQUIRE(again.has_value());
  CHECK(again->epoch == 7);
}

TEST_CASE_FIXTURE(node_fixture, "a dropped connection leaves the owner's "
                                "routes unreachable until the next map") {
  routing_table t;
  t.install(2, routes(2, 5), {}, std::chrono::steady_clock::now());
  t.drop_connection("core");
  CHECK_FALSE(t.route(0).has_value());
  CHECK_FALSE(t.route(1).has_value());
  CHECK_FALSE(t.refresh()); // no filler set
}
