// What deploy/up and the scripts use from schema/003_rules.sql: the initial
// shard count by the store's epoch rule, and the cluster_status view.

#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include "runtime/store/master_lease.hpp"
#include "runtime/store/migrations.hpp"
#include "runtime/store/node_registry.hpp"
#include "runtime/store/shard_map_store.hpp"
#include "support/node_records.hpp"
#include "support/test_db.hpp"

using namespace mc;

namespace {

bool set_initial_shards(pqxx::connection& c, int shards) {
  pqxx::work tx{c};
  auto r = tx.exec_params1("SELECT mc_set_initial_shards($1)", shards);
  tx.commit();
  return r[0].as<bool>();
}

} // namespace

TEST_CASE("the initial shard count adds rows above every epoch the map had") {
  test::scratch_db db{"deployrules"};
  pqxx::connection c{db.uri()};
  apply_migrations(c, MC_SOURCE_DIR "/schema");
  auto lease = try_acquire_lease(c, "m1", 60000);
  REQUIRE(lease);
  REQUIRE(cas_shard_owner(c, 0, 0, "c1", "m1", *lease)); // shard 0 at epoch 1
  CHECK(set_initial_shards(c, 4));
  auto table = load_shard_table(c);
  CHECK(table.shards == 4);
  REQUIRE(table.slots.size() == 4);
  CHECK(table.slots[0].owner == "c1");
  CHECK(table.slots[0].epoch == 1);
  for (int s = 1; s < 4; ++s) {
    CHECK(table.slots[s].owner.empty());
    CHECK(table.slots[s].epoch == 2);
  }
  // The supervisor's ensure_shard_rows follows the same rule: nothing left.
  CHECK(ensure_shard_rows(c) == 0);
}

TEST_CASE("the initial shard count is refused once messages exist") {
  test::scratch_db db{"deployrules"};
  pqxx::connection c{db.uri()};
  apply_migrations(c, MC_SOURCE_DIR "/schema");
  {
    pqxx::work tx{c};
    tx.exec("INSERT INTO messages (id, shard_id, recipient, body, epoch)"
            " VALUES ('m', 0, '1555', 'x', 0)");
    tx.commit();
  }
  CHECK_FALSE(set_initial_shards(c, 4));
  CHECK(load_shard_table(c).shards == 1);
}

TEST_CASE("cluster_status shows each node with liveness, shards and the lease") {
  test::scratch_db db{"deployrules"};
  pqxx::connection c{db.uri()};
  apply_migrations(c, MC_SOURCE_DIR "/schema");
  auto n = test::coreapp_record("c1", node_state::active);
  register_node(c, n);
  n.node_id = "c2";
  register_node(c, n);
  mark_stopped(c, "c2");
  auto lease = try_acquire_lease(c, "m1", 60000);
  REQUIRE(lease);
  REQUIRE(cas_shard_owner(c, 0, 0, "c1", "m1", *lease));
  pqxx::read_transaction tx{c};
  auto rows = tx.exec("SELECT node_id, live, coalesce(array_to_string(shards_owned, ','), ''),"
                      " shards, lease_holder, lease_live FROM cluster_status"
                      " ORDER BY node_id");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0][0].as<std::string>() == "c1");
  CHECK(rows[0][1].as<bool>());
  CHECK(rows[0][2].as<std::string>() == "0");
  CHECK(rows[0][3].as<int>() == 1);
  CHECK(rows[0][4].as<std::string>() == "m1");
  CHECK(rows[0][5].as<bool>());
  CHECK_FALSE(rows[1][1].as<bool>());
  CHECK(rows[1][2].as<std::string>().empty());
}
