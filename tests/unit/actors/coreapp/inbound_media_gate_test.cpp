#include <doctest/doctest.h>

#include "actors/coreapp/inbound_media_gate.hpp"

using namespace mc;

namespace {

inbound_message msg(std::string id, std::string payload) {
  inbound_message m;
  m.id = std::move(id);
  m.from = "15550001000";
  m.payload = std::move(payload);
  return m;
}

} // namespace

TEST_CASE("inbound_media_gate: media ids of media messages only") {
  auto img = msg("a", R"({"type":"image","image":{"id":"m1",)"
                      R"("mime_type":"image/jpeg","sha256":"x"}})");
  CHECK(inbound_media_gate::media_ids(img) == std::vector<std::string>{"m1"});
  auto doc = msg("b", R"({"type":"document","document":{"id":"m2",)"
                      R"("mime_type":"application/pdf","filename":"f"}})");
  CHECK(inbound_media_gate::media_ids(doc) == std::vector<std::string>{"m2"});
  CHECK(inbound_media_gate::media_ids(
          msg("c", R"({"type":"text","text":{"body":"mime_type"}})"))
          .empty());
}

TEST_CASE("inbound_media_gate: batches leave in order once their fetches "
          "finished") {
  inbound_media_gate g;
  auto t1 = g.add({msg("1", "")}, 2);
  auto t2 = g.add({msg("2", "")}, 0);
  auto t3 = g.add({msg("3", "")}, 1);
  CHECK_FALSE(g.empty());
  // The third is done, but waits behind the first.
  CHECK(g.fetched(t3).empty());
  CHECK(g.fetched(t1).empty());
  auto out = g.fetched(t1);
  REQUIRE(out.size() == 3);
  CHECK(out[0][0].id == "1");
  CHECK(out[1][0].id == "2");
  CHECK(out[2][0].id == "3");
  CHECK(g.empty());
  (void) t2;
  // A stopping shard takes what is held.
  g.add({msg("4", "")}, 1);
  auto all = g.take_all();
  REQUIRE(all.size() == 1);
  CHECK(all[0][0].id == "4");
  CHECK(g.empty());
}
