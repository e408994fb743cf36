// The cluster's rules at their boundaries (schema/003_rules.sql): node
// liveness and the master lease, each defined once and reached here only
// through the stores that call it. The database clock is frozen by a
// `now()` that shadows pg_catalog's on the test connection, so "exactly at
// the threshold" is an exact instant, not a race with the wall clock.

#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include <pqxx/pqxx>

#include "runtime/store/master_lease.hpp"
#include "runtime/store/migrations.hpp"
#include "runtime/store/node_registry.hpp"
#include "runtime/store/shard_map_store.hpp"
#include "support/node_records.hpp"
#include "support/test_db.hpp"

using namespace mc;
using std::chrono::milliseconds;

namespace {

/// A migrated scratch database whose connection `conn` sees a frozen clock
/// that the test moves with `set_clock_ms` (milliseconds after a fixed
/// origin).
struct frozen_clock_db {
  test::scratch_db db{"rules"};
  pqxx::connection conn{db.uri()};

  frozen_clock_db() {
    apply_migrations(conn, MC_SOURCE_DIR "/schema");
    pqxx::work tx{conn};
    tx.exec("CREATE SCHEMA test_clock");
    tx.exec("CREATE TABLE test_clock.frozen (t timestamptz NOT NULL)");
    tx.exec("INSERT INTO test_clock.frozen VALUES ('2030-01-01 00:00:00+00')");
    tx.exec("CREATE FUNCTION test_clock.now() RETURNS timestamptz "
            "LANGUAGE sql STABLE AS 'SELECT t FROM test_clock.frozen'");
    tx.commit();
    pqxx::nontransaction set{conn};
    set.exec("SET search_path = test_clock, public, pg_catalog");
  }

  void set_clock_ms(int64_t ms) {
    pqxx::work tx{conn};
    tx.exec_params("UPDATE test_clock.frozen SET t = '2030-01-01 00:00:00+00'"
                   "::timestamptz + make_interval(secs => $1::double precision"
                   " / 1000)",
                   ms);
    tx.commit();
  }

  void add_node(const std::string& id, node_state state) {
    register_node(conn, test::coreapp_record(id, state));
  }
};

} // namespace

TEST_CASE("the clock of the rules test is frozen and moves only when told") {
  frozen_clock_db m;
  auto read_now = [&] {
    pqxx::read_transaction tx{m.conn};
    return tx.exec1("SELECT extract(epoch FROM now())::text")[0]
      .as<std::string>();
  };
  auto before = read_now();
  CHECK(read_now() == before);
  m.set_clock_ms(1500);
  CHECK(read_now() != before);
}

TEST_CASE("a node is live until its heartbeat is exactly the threshold old") {
  frozen_clock_db m;
  m.set_clock_ms(0);
  m.add_node("c1", node_state::standby);
  m.set_clock_ms(500);
  CHECK(count_live_nodes(m.conn, role::coreapp, milliseconds{501}) == 1);
  CHECK(count_live_nodes(m.conn, role::coreapp, milliseconds{500}) == 0);
  auto at_threshold = list_nodes(m.conn, milliseconds{500});
  REQUIRE(at_threshold.size() == 1);
  CHECK(at_threshold[0].heartbeat_age_ms == 500);
  CHECK_FALSE(at_threshold[0].live);
  CHECK(list_nodes(m.conn, milliseconds{501})[0].live);
  // A heartbeat makes it young again.
  CHECK(heartbeat_node(m.conn, "c1", node_state::active));
  CHECK(count_live_nodes(m.conn, role::coreapp, milliseconds{500}) == 1);
  auto per_role = live_nodes_per_role(m.conn, milliseconds{500});
  REQUIRE(per_role.size() == 1);
  CHECK(per_role[0].first == "coreapp");
  CHECK(per_role[0].second == 1);
}

TEST_CASE("a stopped node is never live, however fresh its heartbeat") {
  frozen_clock_db m;
  m.add_node("c1", node_state::standby);
  mark_stopped(m.conn, "c1");
  CHECK(list_nodes(m.conn)[0].state == node_state::stopped);
  CHECK(count_live_nodes(m.conn, role::coreapp, milliseconds{60000}) == 0);
  CHECK(live_nodes_per_role(m.conn, milliseconds{60000}).empty());
}

TEST_CASE("one instant before expiry the holder still holds the lease") {
  frozen_clock_db m;
  m.set_clock_ms(0);
  auto e1 = try_acquire_lease(m.conn, "m1", 1000);
  REQUIRE(e1);
  m.set_clock_ms(999);
  CHECK_FALSE(try_acquire_lease(m.conn, "m2", 1000));
  CHECK(cas_shard_owner(m.conn, 0, 0, "c1", "m1", *e1));
  CHECK(read_lease(m.conn).remaining_ms == 1);
  CHECK(read_lease(m.conn).live);
  CHECK(renew_lease(m.conn, "m1", *e1, 1000));
  CHECK(read_lease(m.conn).remaining_ms == 1000);
}

TEST_CASE("at exactly its expiry the lease is lost to the holder and free to others") {
  frozen_clock_db m;
  m.set_clock_ms(0);
  auto e1 = try_acquire_lease(m.conn, "m1", 1000);
  REQUIRE(e1);
  m.set_clock_ms(1000);
  CHECK(read_lease(m.conn).remaining_ms == 0);
  CHECK_FALSE(read_lease(m.conn).live);
  // Every fenced write of the holder fails from this instant on ...
  CHECK_FALSE(cas_shard_owner(m.conn, 0, 0, "c1", "m1", *e1));
  CHECK_FALSE(commit_reshard(m.conn, 2, "m1", *e1));
  CHECK_FALSE(renew_lease(m.conn, "m1", *e1, 1000));
  // ... and at the same instant a secondary may take it: no gap, no overlap.
  auto e2 = try_acquire_lease(m.conn, "m2", 1000);
  REQUIRE(e2);
  CHECK(*e2 == *e1 + 1);
  CHECK(cas_shard_owner(m.conn, 0, 0, "c1", "m2", *e2));
  CHECK(load_shard_table(m.conn).shards == 1);
}

TEST_CASE("the shard-count change is fenced by the same lease rule") {
  frozen_clock_db m;
  m.set_clock_ms(0);
  auto e1 = try_acquire_lease(m.conn, "m1", 1000);
  REQUIRE(e1);
  m.set_clock_ms(999);
  CHECK(commit_reshard(m.conn, 2, "m1", *e1));
  auto table = load_shard_table(m.conn);
  CHECK(table.shards == 2);
  REQUIRE(table.slots.size() == 2);
  CHECK(table.slots[0].epoch == table.slots[1].epoch);
  CHECK(table.slots[0].epoch > 0);
}
