#include <doctest/doctest.h>

#include "actors/sim/sim_directory.hpp"

using namespace mc;

TEST_CASE("the simulator's directory answers valid unless told a number is "
          "not a user, and counts what it was asked") {
  sim_directory d;
  CHECK(d.checks() == 0);
  auto first = d.check({"16315550001", "16315550002"});
  REQUIRE(first.size() == 2);
  CHECK(first[0].status == "valid");
  CHECK(first[0].wa_id == "16315550001");
  d.add_non_users({"16315550002"});
  auto second = d.check({"16315550002", "16315550001"});
  CHECK(second[0].number == "16315550002");
  CHECK(second[0].status == "invalid");
  CHECK(second[0].wa_id.empty());
  CHECK(second[1].status == "valid");
  CHECK(d.checks() == 4);
  CHECK(d.non_users() == std::vector<std::string>{"16315550002"});
}
