#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include "runtime/store/message_store.hpp"
#include "runtime/store/migrations.hpp"
#include "support/test_db.hpp"

using namespace mc;

TEST_CASE("the batch insert is idempotent on message id and keeps order") {
  test::scratch_db db{"batch"};
  pqxx::connection c{db.uri()};
  apply_migrations(c, MC_SOURCE_DIR "/schema");
  std::vector<message_row> batch;
  for (int i = 0; i < 500; ++i)
    batch.push_back({"id" + std::to_string(i), "1555" + std::to_string(i % 7),
                     "{\"type\":\"text\",\"text\":{\"body\":\"'q' \\\\ "
                       + std::to_string(i) + "\"}}",
                     i % 2 == 0 ? "text" : "image"});
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
  auto rows = tx.exec("SELECT id, payload, type FROM messages ORDER BY seq");
  REQUIRE(rows.size() == 500);
  for (int i = 0; i < 500; ++i) {
    CHECK(rows[i][0].as<std::string>() == "id" + std::to_string(i));
    CHECK(rows[i][1].as<std::string>() == batch[i].payload);
    CHECK(rows[i][2].as<std::string>() == batch[i].type);
  }
}

TEST_CASE("the fenced group commit inserts only at the shard's epoch") {
  test::scratch_db db{"fence"};
  pqxx::connection c{db.uri()};
  apply_migrations(c, MC_SOURCE_DIR "/schema");
  {
    pqxx::work tx{c};
    tx.exec("UPDATE shard_map SET owner = 'c1', epoch = 7 WHERE shard_id = 0");
    tx.commit();
  }
  std::vector<message_row> batch{{"a", "1555", "x"}, {"b", "1556", "y"}};
  auto run = [&](int64_t epoch) {
    pqxx::nontransaction tx{c};
    auto r = tx.exec1(fenced_insert_sql(c, 0, epoch, batch));
    return std::make_pair(r[0].as<int64_t>(), r[1].as<int64_t>());
  };
  // A stale writer sees the current epoch and inserts nothing.
  CHECK(run(6) == std::make_pair(int64_t{7}, int64_t{0}));
  CHECK(run(7) == std::make_pair(int64_t{7}, int64_t{2}));
  // A retry inserts nothing new but is still a success at the epoch.
  CHECK(run(7) == std::make_pair(int64_t{7}, int64_t{0}));
  pqxx::read_transaction tx{c};
  CHECK(tx.exec1("SELECT count(*) FROM messages")[0].as<int>() == 2);
  CHECK(tx.exec1("SELECT epoch FROM messages WHERE id = 'a'")[0].as<int>() == 7);
}

TEST_CASE("pending messages keep their payload, and rows from before payloads read as text") {
  test::scratch_db db{"payload"};
  pqxx::connection c{db.uri()};
  apply_migrations(c, MC_SOURCE_DIR "/schema");
  {
    pqxx::work tx{c};
    // A row as schema version 3 wrote it: a body and no payload.
    tx.exec("INSERT INTO messages (id, shard_id, recipient, body, epoch) "
            "VALUES ('old', 0, '1555', 'say \"hi\"', 1)");
    tx.commit();
  }
  std::vector<message_row> batch{
    {"new", "1556",
     R"({"type":"image","image":{"link":"http://x/y.png","caption":"c"}})",
     "image"}};
  {
    pqxx::nontransaction tx{c};
    tx.exec1(fenced_insert_sql(c, 0, 0, batch));
  }
  auto rows = pending_messages(c, 0);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].id == "old");
  CHECK(rows[0].type == "text");
  CHECK(rows[0].payload == R"({"type":"text","text":{"body":"say \"hi\""}})");
  CHECK(rows[1].id == "new");
  CHECK(rows[1].type == "image");
  CHECK(rows[1].payload == batch[0].payload);
  // A row must hold one of the two.
  pqxx::work tx{c};
  CHECK_THROWS(tx.exec("INSERT INTO messages (id, shard_id, recipient, epoch) "
                       "VALUES ('none', 0, '1', 1)"));
}
