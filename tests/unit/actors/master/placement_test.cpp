#include <doctest/doctest.h>

#include "actors/master/placement.hpp"

/// Placement's rules on their own: who keeps a shard, who takes one, and
/// the spread of a whole map.

using namespace mc;

namespace {

shard_slot slot(int32_t shard, const std::string& owner, int64_t epoch = 1) {
  shard_slot s;
  s.shard_id = shard;
  s.owner = owner;
  s.epoch = epoch;
  return s;
}

} // namespace

TEST_CASE("a shard whose owner serves stays and one whose owner is gone moves "
          "to the least loaded live coreapp") {
  placement p{{"a", "b"}, {"a", "b", "c"}};
  std::vector<shard_slot> slots{slot(0, "a"), slot(1, "dead"), slot(2, "b")};
  auto moves = p.moves(slots, {});
  REQUIRE(moves.size() == 1);
  CHECK(moves[0].shard == 1);
  CHECK(moves[0].from == "dead");
  CHECK(moves[0].to == "c"); // a and b own one shard each, c none
}

TEST_CASE("unowned shards spread one per coreapp, ties broken by id") {
  placement p{{}, {"c", "a", "b", "d"}};
  std::vector<shard_slot> slots{slot(0, ""), slot(1, ""), slot(2, ""),
                                slot(3, ""), slot(4, "")};
  auto moves = p.moves(slots, {});
  REQUIRE(moves.size() == 5);
  std::vector<std::string> to;
  for (auto& m : moves)
    to.push_back(m.to);
  CHECK(to == std::vector<std::string>{"a", "b", "c", "d", "a"});
}

TEST_CASE("a shard with an activation in flight is left alone") {
  placement p{{}, {"a"}};
  auto moves = p.moves({slot(0, ""), slot(1, "")}, {0});
  REQUIRE(moves.size() == 1);
  CHECK(moves[0].shard == 1);
}

TEST_CASE("a possibly live owner keeps its shard even if it cannot take "
          "new ones") {
  // A new primary: "a" is connecting (serving) but not live yet.
  placement p{{"a"}, {"b"}};
  CHECK(p.moves({slot(0, "a")}, {}).empty());
}

TEST_CASE("with no live coreapp an owned shard is moved to nobody and an "
          "unowned one stays") {
  placement p{{}, {}};
  auto moves = p.moves({slot(0, "gone"), slot(1, "")}, {});
  REQUIRE(moves.size() == 1);
  CHECK(moves[0].shard == 0);
  CHECK(moves[0].to.empty());
  CHECK(p.pick_standby({slot(0, "gone")}).empty());
}
