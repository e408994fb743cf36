#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include "actors/db_writer.hpp"
#include "runtime/migrations.hpp"
#include "support/test_db.hpp"

using namespace mc;

TEST_CASE("the batch insert is idempotent on message id and keeps order") {
  test::scratch_db db{"batch"};
  pqxx::connection c{db.uri()};
  apply_migrations(c, MC_SOURCE_DIR "/schema");
  std::vector<upstream_message> batch;
  for (int i = 0; i < 500; ++i)
    batch.push_back({"id" + std::to_string(i), "1555" + std::to_string(i % 7),
                     "body 'quoted' \\ " + std::to_string(i)});
  {
    pqxx::work tx{c};
    tx.exec(batch_insert_sql(c, 0, 1, batch));
    tx.commit();
  }
  {
    // A retry of the same ids inserts nothing new.
    pqxx::work tx{c};
    auto r = tx.exec(batch_insert_sql(c, 0, 1, batch));
    CHECK(r.affected_rows() == 0);
    tx.commit();
  }
  pqxx::read_transaction tx{c};
  auto rows = tx.exec("SELECT id, body FROM messages ORDER BY seq");
  REQUIRE(rows.size() == 500);
  for (int i = 0; i < 500; ++i) {
    CHECK(rows[i][0].as<std::string>() == "id" + std::to_string(i));
    CHECK(rows[i][1].as<std::string>() == batch[i].body);
  }
}
