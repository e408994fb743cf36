#include <doctest/doctest.h>

#include "http/login_throttle.hpp"

using mc::http::login_throttle;
using namespace std::chrono_literals;

namespace {

login_throttle::config small() {
  login_throttle::config cfg;
  cfg.user_failures = 3;
  cfg.address_failures = 5;
  cfg.window = 60s;
  cfg.lock = 30s;
  cfg.max_entries = 8;
  return cfg;
}

} // namespace

TEST_CASE("a user is locked after N failures and unlocks after the lock") {
  login_throttle t{small()};
  auto t0 = login_throttle::clock::now();
  for (int i = 0; i < 2; ++i) {
    t.record_failure("admin", "10.0.0.1", t0);
    CHECK(t.locked_for("admin", "10.0.0.1", t0) == 0s);
  }
  t.record_failure("admin", "10.0.0.1", t0);
  // Locked from every address, not only the one that failed.
  CHECK(t.locked_for("admin", "10.0.0.2", t0) == 30s);
  CHECK(t.locked_for("admin", "10.0.0.2", t0 + 29s + 500ms) == 1s);
  CHECK(t.locked_for("admin", "10.0.0.2", t0 + 30s) == 0s);
  // Another user is not affected.
  CHECK(t.locked_for("alice", "10.0.0.2", t0) == 0s);
}

TEST_CASE("failures older than the window do not add up, a success resets") {
  login_throttle t{small()};
  auto t0 = login_throttle::clock::now();
  t.record_failure("admin", "a", t0);
  t.record_failure("admin", "a", t0 + 1s);
  t.record_failure("admin", "a", t0 + 61s); // a new window starts
  CHECK(t.locked_for("admin", "a", t0 + 61s) == 0s);
  t.record_failure("admin", "a", t0 + 62s);
  t.record_success("admin");
  t.record_failure("admin", "a", t0 + 63s);
  CHECK(t.locked_for("admin", "a", t0 + 63s) == 0s);
}

TEST_CASE("an address is locked after failures over many user names") {
  login_throttle t{small()};
  auto t0 = login_throttle::clock::now();
  for (int i = 0; i < 5; ++i)
    t.record_failure("user" + std::to_string(i), "10.9.9.9", t0);
  CHECK(t.locked_for("someone-else", "10.9.9.9", t0) == 30s);
  CHECK(t.locked_for("someone-else", "10.9.9.8", t0) == 0s);
}

TEST_CASE("memory stays bounded and a flood of names unlocks nobody") {
  login_throttle t{small()};
  auto t0 = login_throttle::clock::now();
  for (int i = 0; i < 3; ++i)
    t.record_failure("admin", "x" + std::to_string(i), t0);
  REQUIRE(t.locked_for("admin", "y", t0) == 30s);
  for (int i = 0; i < 1000; ++i)
    t.record_failure("made-up-" + std::to_string(i),
                     "addr-" + std::to_string(i), t0 + 1s);
  CHECK(t.size() <= 16); // 8 users + 8 addresses
  CHECK(t.locked_for("admin", "y", t0 + 1s) == 29s);
}

TEST_CASE("the client address comes from X-Forwarded-For only behind a "
          "trusted front") {
  std::vector<std::string> fronts{"127.0.0.1"};
  // The front appended the address it saw; the first entry is the client's
  // own claim and does not count.
  CHECK(login_throttle::client_address("127.0.0.1", "1.2.3.4, 10.0.0.7",
                                       fronts)
        == "10.0.0.7");
  CHECK(login_throttle::client_address("127.0.0.1", "10.0.0.7", fronts)
        == "10.0.0.7");
  // Not from the front: the header is the client's word, ignored.
  CHECK(login_throttle::client_address("10.0.0.9", "10.0.0.7", fronts)
        == "10.0.0.9");
  CHECK(login_throttle::client_address("127.0.0.1", "", fronts)
        == "127.0.0.1");
  CHECK(login_throttle::client_address("127.0.0.1", "10.0.0.7", {})
        == "127.0.0.1");
}
