#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <thread>

#include <caf/all.hpp>
#include <pqxx/pqxx>

#include "actors/lifecycle.hpp"
#include "actors/master/lease_keeper.hpp"
#include "actors/protocol/register.hpp"
#include "runtime/store/master_lease.hpp"
#include "runtime/store/migrations.hpp"
#include "support/processes.hpp"
#include "support/test_db.hpp"

/// The lease keeper against a real database: the lease is held for the
/// supervisor's sake, so it is given up as soon as the supervisor ends.

using namespace mc;
using namespace std::chrono_literals;

TEST_CASE("the lease keeper gives the lease up at once when its supervisor "
          "ends") {
  test::scratch_db db{"lease_keeper"};
  pqxx::connection conn{db.uri()};
  apply_migrations(conn, MC_SOURCE_DIR "/schema");
  caf::actor_system_config cfg;
  register_protocol(cfg);
  caf::actor_system sys{cfg};
  // The supervisor's stand-in: takes the role messages, ends on demand.
  auto supervisor = sys.spawn([]() -> caf::behavior {
    return {[](lease_atom, bool, int64_t) {}};
  });
  auto view = std::make_shared<lease_view>();
  // A time to live far above the test's waits: only a release frees it.
  lease_keeper_config lc{"m1", db.uri(), 30000, 100};
  auto keeper = sys.spawn<caf::detached>(lease_keeper, lc, view, supervisor);
  REQUIRE(test::eventually([&] { return read_lease(conn).holder == "m1"; },
                           5s));
  CHECK(view->valid());
  auto t0 = std::chrono::steady_clock::now();
  caf::anon_send_exit(supervisor, caf::exit_reason::kill);
  REQUIRE(test::eventually([&] {
    auto lease = read_lease(conn);
    return lease.holder.empty() && lease.remaining_ms <= 0;
  }, 2s));
  CHECK(std::chrono::steady_clock::now() - t0 < 2s);
  CHECK_FALSE(view->valid());
  // And it stopped competing: the lease stays free.
  std::this_thread::sleep_for(300ms);
  CHECK(read_lease(conn).holder.empty());
  caf::anon_send(keeper, stop_atom::value);
  sys.await_all_actors_done();
}
