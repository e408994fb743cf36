#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include <pqxx/pqxx>

#include "runtime/store/migrations.hpp"
#include "support/test_db.hpp"

using namespace mc;

TEST_CASE("the schema directory lists numbered migrations in order") {
  auto all = list_migrations(MC_SOURCE_DIR "/schema");
  REQUIRE_FALSE(all.empty());
  CHECK(all.front().version == 1);
  for (size_t i = 1; i < all.size(); ++i)
    CHECK(all[i - 1].version < all[i].version);
  CHECK(latest_migration(MC_SOURCE_DIR "/schema") == all.back().version);
}

TEST_CASE("migrations apply once, and again is a no-op") {
  test::scratch_db db{"mig"};
  pqxx::connection c{db.uri()};
  CHECK(schema_version(c) == 0);
  auto n = apply_migrations(c, MC_SOURCE_DIR "/schema");
  // Every file once: the numbers may have gaps (numbers are handed out
  // ahead of the files), so the count is that of the files.
  CHECK(n == static_cast<int>(list_migrations(MC_SOURCE_DIR "/schema").size()));
  CHECK(schema_version(c) == latest_migration(MC_SOURCE_DIR "/schema"));
  CHECK(apply_migrations(c, MC_SOURCE_DIR "/schema") == 0);
}

TEST_CASE("two masters migrating at the same time apply each file once") {
  test::scratch_db db{"migrace"};
  std::atomic<int> applied{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> masters;
  for (int i = 0; i < 2; ++i)
    masters.emplace_back([&] {
      try {
        pqxx::connection c{db.uri()};
        applied += apply_migrations(c, MC_SOURCE_DIR "/schema");
      } catch (...) {
        failures++;
      }
    });
  for (auto& t : masters)
    t.join();
  CHECK(failures.load() == 0);
  CHECK(applied.load()
        == static_cast<int>(list_migrations(MC_SOURCE_DIR "/schema").size()));
  pqxx::connection c{db.uri()};
  pqxx::read_transaction tx{c};
  CHECK(tx.exec1("SELECT count(*) FROM schema_version")[0].as<int>()
        == static_cast<int>(list_migrations(MC_SOURCE_DIR "/schema").size()));
}
