#include <doctest/doctest.h>

#include <chrono>

#include <caf/all.hpp>
#include <pqxx/pqxx>

#include "actors/coreapp/db_writer.hpp"
#include "actors/lifecycle.hpp"
#include "actors/protocol/register.hpp"
#include "actors/protocol/timeouts.hpp"
#include "runtime/store/migrations.hpp"
#include "support/test_db.hpp"

/// The writer's commit against a real database that cannot finish it in
/// time: PostgreSQL's statement timeout ends it before the shard's commit
/// wait, so the shard answers with a known outcome (not committed), never
/// with "not accepted" for a message that commits later.

using namespace mc;
using namespace std::chrono_literals;

TEST_CASE("a commit blocked past the statement timeout fails, known not "
          "committed, before the shard's commit wait") {
  test::scratch_db db{"writer_timeout"};
  pqxx::connection conn{db.uri()};
  apply_migrations(conn, MC_SOURCE_DIR "/schema");
  {
    pqxx::work tx{conn};
    tx.exec("UPDATE shard_map SET owner = 'c1', epoch = 3 WHERE shard_id = 0");
    tx.commit();
  }
  // A rival holds the shard's map row (as a failover's epoch bump would),
  // so the fenced insert's FOR SHARE waits.
  pqxx::connection rival{db.uri()};
  pqxx::work lock{rival};
  lock.exec("SELECT * FROM shard_map WHERE shard_id = 0 FOR UPDATE");
  caf::actor_system_config cfg;
  register_protocol(cfg);
  caf::actor_system sys{cfg};
  auto writer = sys.spawn<caf::detached>(db_writer, db.uri());
  caf::scoped_actor self{sys};
  std::vector<upstream_message> rows{{"late-1", "15551000001", "x"}};
  auto t0 = std::chrono::steady_clock::now();
  caf::error outcome;
  bool ok = false;
  self->request(writer, timeouts::commit + 1s, commit_atom::value, int32_t{0},
                int64_t{3}, rows)
    .receive([&](caf::ok_atom) { ok = true; },
             [&](caf::error& err) { outcome = std::move(err); });
  auto took = std::chrono::steady_clock::now() - t0;
  MESSAGE("the writer answered after "
          << std::chrono::duration_cast<std::chrono::milliseconds>(took)
               .count()
          << " ms");
  CHECK_FALSE(ok);
  CHECK(is(outcome, mc_errc::database));
  CHECK(took >= timeouts::commit_statement - 100ms);
  CHECK(took < timeouts::commit);
  lock.abort();
  // Known not committed: the row is not there, and once the rival is gone
  // the same commit goes through on the writer's new connection.
  pqxx::read_transaction check{conn};
  CHECK(check.exec1("SELECT count(*) FROM messages")[0].as<int>() == 0);
  check.commit();
  self->request(writer, timeouts::commit, commit_atom::value, int32_t{0},
                int64_t{3}, rows)
    .receive([&](caf::ok_atom) { ok = true; }, [&](caf::error&) {});
  CHECK(ok);
  caf::anon_send(writer, stop_atom::value);
}
