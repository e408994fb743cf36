#include <doctest/doctest.h>

#include <string>

#include "runtime/node_state.hpp"
#include "runtime/options.hpp"

using namespace mc;

TEST_CASE("every node state has one text form that reads back as itself") {
  for (auto s : {node_state::starting, node_state::standby, node_state::active,
                 node_state::serving, node_state::primary,
                 node_state::secondary, node_state::stopped}) {
    auto back = node_state_from_string(to_string(s));
    REQUIRE(back);
    CHECK(*back == s);
  }
  // The stored spellings the schema and the scripts rely on.
  CHECK(std::string{to_string(node_state::stopped)} == "stopped");
  CHECK(std::string{to_string(node_state::starting)} == "starting");
  CHECK_FALSE(node_state_from_string("Stopped"));
  CHECK_FALSE(node_state_from_string(""));
}

TEST_CASE("every role has one text form, the flag spelling, that reads back") {
  for (auto r : {role::master, role::coreapp, role::webapp, role::upstream_sim,
                 role::cloud_sim}) {
    auto back = role_from_string(to_string(r));
    REQUIRE(back);
    CHECK(*back == r);
  }
  CHECK(std::string{to_string(role::upstream_sim)} == "upstream-sim");
  CHECK(std::string{to_string(role::cloud_sim)} == "cloud-sim");
  CHECK_FALSE(role_from_string("upstream_sim"));
}
