#include <doctest/doctest.h>

#include <thread>

#include <pqxx/pqxx>

#include "runtime/store/migrations.hpp"
#include "runtime/store/node_registry.hpp"
#include "support/node_records.hpp"
#include "support/test_db.hpp"

using namespace mc;

TEST_CASE("nodes register, heartbeat, age and stop") {
  test::scratch_db db{"nodes"};
  pqxx::connection c{db.uri()};
  apply_migrations(c, MC_SOURCE_DIR "/schema");
  auto n = test::coreapp_record("c1", node_state::standby, 4000, 42);
  register_node(c, n);
  auto all = list_nodes(c);
  REQUIRE(all.size() == 1);
  CHECK(all[0].caf_port == 4000);
  CHECK(all[0].state == node_state::standby);
  CHECK(all[0].heartbeat_age_ms < 1000);
  // A node that stops heartbeating ages; it does not vanish.
  std::this_thread::sleep_for(std::chrono::milliseconds{300});
  CHECK(list_nodes(c, role::coreapp)[0].heartbeat_age_ms >= 250);
  CHECK(heartbeat_node(c, "c1", node_state::active));
  auto fresh = list_nodes(c, role::coreapp)[0];
  CHECK(fresh.heartbeat_age_ms < 250);
  CHECK(fresh.state == node_state::active);
  CHECK(list_nodes(c, role::master).empty());
  // Re-registering after a restart updates the row in place.
  n.caf_port = 4001;
  register_node(c, n);
  CHECK(list_nodes(c).size() == 1);
  CHECK(list_nodes(c)[0].caf_port == 4001);
  mark_stopped(c, "c1");
  CHECK(list_nodes(c)[0].state == node_state::stopped);
  CHECK_FALSE(heartbeat_node(c, "nobody", node_state::active));
}
