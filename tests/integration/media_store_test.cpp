#include <doctest/doctest.h>

#include <string>

#include <pqxx/pqxx>

#include "runtime/sha256.hpp"
#include "runtime/store/media_store.hpp"
#include "runtime/store/migrations.hpp"
#include "support/test_db.hpp"

using namespace mc;

namespace {

media_info info_of(const std::string& id, const std::string& mime,
                   const std::string& bytes) {
  return {id, mime, sha256_hex(bytes), static_cast<int64_t>(bytes.size())};
}

} // namespace

TEST_CASE("media keep their bytes, type and hash, and are deleted once") {
  test::scratch_db db{"media"};
  pqxx::connection c{db.uri()};
  apply_migrations(c, MC_SOURCE_DIR "/schema");
  // Every byte value, NULs included, survives the round trip.
  std::string bytes;
  for (int i = 0; i < 3 * 256; ++i)
    bytes.push_back(static_cast<char>(i % 256));
  CHECK(insert_media(c, info_of("m1", "image/png", bytes), bytes, 3600));
  CHECK_FALSE(insert_media(c, info_of("m1", "image/png", "x"), "x", 3600));
  auto blob = find_media(c, "m1");
  REQUIRE(blob);
  CHECK(blob->info.mime_type == "image/png");
  CHECK(blob->info.size == static_cast<int64_t>(bytes.size()));
  CHECK(blob->info.sha256 == sha256_hex(bytes));
  CHECK(std::string{blob->bytes.get(), blob->bytes.size()} == bytes);
  auto info = find_media_info(c, "m1");
  REQUIRE(info);
  CHECK(info->sha256 == sha256_hex(bytes));
  CHECK_FALSE(find_media(c, "m2"));
  CHECK(delete_media(c, "m1"));
  CHECK_FALSE(delete_media(c, "m1"));
  CHECK_FALSE(find_media(c, "m1"));
  CHECK_FALSE(find_media_info(c, "m1"));
}

TEST_CASE("expired media are invisible and pruned, live ones stay") {
  test::scratch_db db{"media_prune"};
  pqxx::connection c{db.uri()};
  apply_migrations(c, MC_SOURCE_DIR "/schema");
  for (int i = 0; i < 5; ++i)
    insert_media(c, info_of("old" + std::to_string(i), "text/plain", "o"),
                 "o", -10);
  insert_media(c, info_of("live", "text/plain", "l"), "l", 3600);
  CHECK_FALSE(find_media(c, "old0"));
  CHECK_FALSE(find_media_info(c, "old0"));
  CHECK_FALSE(delete_media(c, "old0"));
  // Bounded per call.
  CHECK(prune_expired_media(c, 3) == 3);
  CHECK(prune_expired_media(c, 3) == 2);
  CHECK(prune_expired_media(c, 3) == 0);
  pqxx::read_transaction tx{c};
  CHECK(tx.exec1("SELECT count(*) FROM media")[0].as<int>() == 1);
  CHECK(tx.exec1("SELECT id FROM media")[0].as<std::string>() == "live");
}
