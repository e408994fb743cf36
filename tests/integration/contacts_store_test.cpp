#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include "runtime/store/contacts_store.hpp"
#include "runtime/store/db_stats_store.hpp"
#include "runtime/store/migrations.hpp"
#include "support/test_db.hpp"

using namespace mc;
using namespace std::chrono_literals;

namespace {

constexpr auto week = std::chrono::seconds{7 * 24 * 3600};

void age(pqxx::connection& c, const std::string& number,
         const std::string& interval) {
  pqxx::work tx{c};
  tx.exec_params("UPDATE contacts SET checked_at = now() - $2::interval"
                 " WHERE number = $1",
                 number, interval);
  tx.commit();
}

} // namespace

TEST_CASE("the contacts cache answers fresh rows only, replaces on save "
          "and counts users and non-users") {
  test::scratch_db db{"contacts"};
  pqxx::connection c{db.uri()};
  apply_migrations(c, MC_SOURCE_DIR "/schema");
  save_contacts(c, {{"16315550001", "valid", "16315550001"},
                    {"16315550002", "invalid", ""},
                    {"1631555\"3", "valid", "x"}}); // quoting survives
  auto fresh = load_fresh_contacts(
    c, {"16315550001", "16315550002", "16315550009", "1631555\"3"}, week);
  REQUIRE(fresh.size() == 3);
  CHECK(fresh.at("16315550001").wa_id == "16315550001");
  CHECK(fresh.at("16315550002").status == "invalid");
  CHECK(fresh.at("16315550002").wa_id.empty());
  CHECK(fresh.count("16315550009") == 0);
  auto counts = count_contacts(c, week);
  CHECK(counts.users == 2);
  CHECK(counts.non_users == 1);
  // Older than 7 days: not an answer any more (the reference's cache age).
  age(c, "16315550001", "7 days 1 second");
  CHECK(load_fresh_contacts(c, {"16315550001"}, week).empty());
  CHECK(load_fresh_contacts(c, {"16315550002"}, week).size() == 1);
  CHECK(count_contacts(c, week).users == 1);
  // A new check replaces the stale answer and its age.
  save_contacts(c, {{"16315550001", "invalid", ""}});
  auto again = load_fresh_contacts(c, {"16315550001"}, week);
  REQUIRE(again.size() == 1);
  CHECK(again.at("16315550001").status == "invalid");
  CHECK(again.at("16315550001").wa_id.empty());
  age(c, "16315550002", "8 days");
  CHECK(prune_contacts(c, week) == 1);
  CHECK(count_contacts(c, week).non_users == 1);
}

TEST_CASE("db figures count messages, pending work per shard and the "
          "callback queue of each owner") {
  test::scratch_db db{"dbstats"};
  pqxx::connection c{db.uri()};
  apply_migrations(c, MC_SOURCE_DIR "/schema");
  {
    pqxx::work tx{c};
    tx.exec("INSERT INTO messages (id, shard_id, recipient, body, status, epoch)"
            " VALUES ('a', 0, '1', 'x', 'accepted', 1),"
            "        ('b', 0, '1', 'x', 'sent', 1),"
            "        ('c', 1, '2', 'x', 'accepted', 1)");
    tx.exec("INSERT INTO callbacks (shard_id, kind, payload)"
            " VALUES (0, 'status', '{}'), (1, 'status', '{}'),"
            "        (1, 'message', '{}')");
    tx.exec("INSERT INTO shard_map (shard_id, owner, epoch) VALUES"
            " (0, 'c1', 1), (1, 'c2', 1)"
            " ON CONFLICT (shard_id) DO UPDATE SET owner = excluded.owner");
    tx.commit();
  }
  auto f = load_db_figures(c);
  CHECK(f.messages == 3);
  CHECK(f.pending_messages == 2);
  CHECK(f.pending_callbacks == 3);
  CHECK(f.message_receipts == 2);
  CHECK(f.pending_by_shard.at(0) == std::make_pair<int64_t, int64_t>(1, 1));
  CHECK(f.pending_by_shard.at(1) == std::make_pair<int64_t, int64_t>(1, 2));
  auto owners = callbacks_by_owner(c);
  CHECK(owners.at("c1") == 1);
  CHECK(owners.at("c2") == 2);
}
