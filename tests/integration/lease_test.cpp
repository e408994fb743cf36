#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include <pqxx/pqxx>

#include "runtime/store/master_lease.hpp"
#include "runtime/store/migrations.hpp"
#include "runtime/store/shard_map_store.hpp"
#include "support/test_db.hpp"

using namespace mc;

namespace {

struct migrated_db {
  test::scratch_db db{"lease"};
  pqxx::connection conn{db.uri()};
  migrated_db() {
    apply_migrations(conn, MC_SOURCE_DIR "/schema");
  }
};

} // namespace

TEST_CASE("the first master takes the lease, the second does not") {
  migrated_db m;
  auto e1 = try_acquire_lease(m.conn, "m1", 1000);
  REQUIRE(e1);
  CHECK(*e1 == 1);
  CHECK_FALSE(try_acquire_lease(m.conn, "m2", 1000));
  auto lease = read_lease(m.conn);
  CHECK(lease.holder == "m1");
  CHECK(lease.epoch == 1);
  CHECK(lease.remaining_ms > 0);
}

TEST_CASE("three masters racing: exactly one wins") {
  migrated_db m;
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&, i] {
      pqxx::connection c{m.db.uri()};
      for (int round = 0; round < 20; ++round)
        if (try_acquire_lease(c, "m" + std::to_string(i), 5000))
          winners++;
    });
  for (auto& t : threads)
    t.join();
  CHECK(winners.load() == 1);
}

TEST_CASE("the holder renews and an expired lease goes to another with a higher epoch") {
  migrated_db m;
  auto e1 = try_acquire_lease(m.conn, "m1", 200);
  REQUIRE(e1);
  CHECK(renew_lease(m.conn, "m1", *e1, 200));
  CHECK_FALSE(try_acquire_lease(m.conn, "m2", 200));
  std::this_thread::sleep_for(std::chrono::milliseconds{300});
  auto e2 = try_acquire_lease(m.conn, "m2", 200);
  REQUIRE(e2);
  CHECK(*e2 == *e1 + 1);
  // The old holder wakes up: its renewal must fail, so it steps down.
  CHECK_FALSE(renew_lease(m.conn, "m1", *e1, 200));
  CHECK(read_lease(m.conn).holder == "m2");
}

TEST_CASE("a holder whose lease expired cannot renew even if nobody took it") {
  migrated_db m;
  auto e1 = try_acquire_lease(m.conn, "m1", 100);
  REQUIRE(e1);
  std::this_thread::sleep_for(std::chrono::milliseconds{200});
  CHECK_FALSE(renew_lease(m.conn, "m1", *e1, 100));
}

TEST_CASE("releasing the lease lets a secondary take it at once") {
  migrated_db m;
  auto e1 = try_acquire_lease(m.conn, "m1", 60000);
  REQUIRE(e1);
  release_lease(m.conn, "m1", *e1);
  auto e2 = try_acquire_lease(m.conn, "m2", 60000);
  REQUIRE(e2);
  CHECK(*e2 == *e1 + 1);
}

TEST_CASE("shard ownership changes only by compare-and-set under a live lease") {
  migrated_db m;
  auto me = try_acquire_lease(m.conn, "m1", 60000);
  REQUIRE(me);
  auto table = load_shard_table(m.conn);
  REQUIRE(table.slots.size() == 1);
  CHECK(table.slots[0].owner.empty());
  CHECK(table.slots[0].epoch == 0);
  auto e = cas_shard_owner(m.conn, 0, 0, "c1", "m1", *me);
  REQUIRE(e);
  CHECK(*e == 1);
  // A stale expected epoch loses.
  CHECK_FALSE(cas_shard_owner(m.conn, 0, 0, "c2", "m1", *me));
  // A master that is not the holder cannot move shards.
  CHECK_FALSE(cas_shard_owner(m.conn, 0, 1, "c2", "m2", *me));
  // Nor can the holder with an old master epoch.
  CHECK_FALSE(cas_shard_owner(m.conn, 0, 1, "c2", "m1", *me - 1));
  CHECK(load_shard_table(m.conn).slots[0].owner == "c1");
}
