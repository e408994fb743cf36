#include "support/caf_dsl.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include <caf/all.hpp>

#include "actors/lifecycle.hpp"
#include "actors/protocol/register.hpp"
#include "actors/webapp/route_listener.hpp"

/// Deterministic scenarios for a webapp's route listener: pushed maps are
/// ordered by version, a hold outranks a read of the same map until its
/// deadline, routes carry connections to the owners. The database read is
/// a function returning what the test says.

using namespace mc;
using namespace std::chrono_literals;

namespace {

struct listener_test_config : caf::actor_system_config {
  listener_test_config() {
    register_protocol(*this);
  }
};

struct fixture : test_coordinator_fixture<listener_test_config> {
  std::shared_ptr<routing_table> table = std::make_shared<routing_table>();
  /// What the connector resolves: "host:port" -> actor.
  std::map<std::string, caf::actor> directory;
  /// What the database read returns.
  std::shared_ptr<shard_table> db = std::make_shared<shard_table>();
  std::shared_ptr<int> reads = std::make_shared<int>(0);
  route_listener_local listener;

  fixture() {
    for (auto id : {"a", "b"})
      directory[std::string{id} + ".test:7000"]
        = sys.spawn([]() -> caf::behavior { return {[](int) {}}; });
    db->shards = 1;
    db->slots.push_back({0, "", 1, "", 0});
    route_listener_config cfg;
    cfg.node_id = "w1";
    cfg.table = table;
    cfg.connect = [this](caf::event_based_actor*, const std::string&,
                         const std::string& host, uint16_t port,
                         std::function<void(caf::actor)> done) {
      auto i = directory.find(host + ":" + std::to_string(port));
      done(i == directory.end() ? caf::actor{} : i->second);
    };
    cfg.load = [db = db, reads = reads] {
      ++*reads;
      return *db;
    };
    cfg.poll_interval = 1s;
    listener = sys.spawn(route_listener, cfg);
    consume_messages();
  }

  ~fixture() override {
    caf::anon_send(listener, stop_atom::value);
    for (auto& [k, a] : directory)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    consume_messages();
  }

  map_update map(const std::string& owner, int64_t epoch, map_version v,
                 std::vector<int32_t> held = {}, int64_t hold_ms = 0) {
    map_update u;
    u.shards = 1;
    u.version = v;
    u.routes.push_back({0, epoch, owner, owner + ".test", 7000});
    u.held = std::move(held);
    u.hold_ms = hold_ms;
    return u;
  }

  void push(map_update u) {
    caf::anon_send(listener, caf::update_atom::value, std::move(u));
    consume_messages();
  }
};

} // namespace

TEST_CASE_FIXTURE(fixture, "a pushed map is routed by at once, with a "
                           "connection to its owner") {
  CHECK(*reads == 1); // the read at start
  CHECK_FALSE(table->route(0).has_value()); // the database: unowned
  push(map("a", 5, {5, 1, 1}));
  auto r = table->route(0);
  REQUIRE(r.has_value());
  CHECK(r->owner == "a");
  CHECK(r->epoch == 5);
  CHECK(r->node == directory["a.test:7000"]);
}

TEST_CASE_FIXTURE(fixture, "an older push never overwrites a newer one") {
  push(map("a", 5, {5, 1, 2}));
  push(map("b", 5, {5, 1, 1}));    // same master, earlier push
  push(map("b", 4, {4, 2, 9}));    // an older map
  REQUIRE(table->route(0).has_value());
  CHECK(table->route(0)->owner == "a");
  push(map("b", 6, {6, 1, 3}));    // a newer map
  CHECK(table->route(0)->owner == "b");
}

TEST_CASE_FIXTURE(fixture, "a hold outranks a read of the same map until its "
                           "deadline, then the read counts") {
  push(map("a", 5, {5, 1, 1}, {0}, 300));
  CHECK(table->held(0));
  // A routing error asks for a read: the database has the same map, so the
  // hold stays.
  db->slots[0] = {0, "b", 5, "b.test", 7000};
  caf::anon_send(listener, refresh_atom::value);
  consume_messages();
  CHECK(table->held(0));
  auto before = *reads;
  advance_time(299ms);
  consume_messages();
  CHECK(*reads == before);
  advance_time(1ms);
  consume_messages();
  // The deadline: no push released it, so the map is read and routed by.
  CHECK(*reads == before + 1);
  CHECK_FALSE(table->held(0));
  REQUIRE(table->route(0).has_value());
  CHECK(table->route(0)->owner == "b");
}

TEST_CASE_FIXTURE(fixture, "the next push releases a hold before its "
                           "deadline") {
  push(map("a", 5, {5, 1, 1}, {0}, 3000));
  CHECK(table->held(0));
  push(map("b", 6, {6, 1, 2}));
  CHECK_FALSE(table->held(0));
  REQUIRE(table->route(0).has_value());
  CHECK(table->route(0)->owner == "b");
}

TEST_CASE_FIXTURE(fixture, "an owner that cannot be reached has no route "
                           "until a later map names a reachable one") {
  auto u = map("c", 5, {5, 1, 1}); // c.test:7000 is not in the directory
  push(u);
  CHECK_FALSE(table->route(0).has_value());
  push(map("a", 6, {6, 1, 2}));
  CHECK(table->route(0).has_value());
}

TEST_CASE_FIXTURE(fixture, "a hold carried on by later pushes keeps the "
                           "deadline of the first") {
  push(map("a", 5, {5, 1, 1}, {0}, 300));
  advance_time(200ms);
  consume_messages();
  // The change goes on: the next push still holds the shard.
  push(map("b", 6, {6, 1, 2}, {0}, 300));
  CHECK(table->held(0));
  advance_time(100ms); // 300 ms after the first push
  consume_messages();
  CHECK_FALSE(table->held(0));
  REQUIRE(table->route(0).has_value());
}
