#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include <unistd.h>

#include "actors/cloud/cloud_token.hpp"

using namespace mc;

namespace {

std::string temp_path() {
  char name[] = "/tmp/mc-token-XXXXXX";
  int fd = ::mkstemp(name);
  REQUIRE(fd >= 0);
  ::close(fd);
  return name;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out{path, std::ios::trunc};
  out << text;
}

} // namespace

TEST_CASE("a refused token stops sending until the file holds a new one") {
  auto path = temp_path();
  write_file(path, "EAAG-first\n");
  cloud_token t{path};
  REQUIRE(t.current() == std::optional<std::string>{"EAAG-first"});
  CHECK(t.status() == "connected");
  t.refused("EAAG-first");
  CHECK_FALSE(t.current());
  CHECK(t.status() == "token_expired");
  // A new token of another length is seen once the file is read again.
  write_file(path, "EAAG-second-token\n");
  t.reload();
  CHECK(t.current() == std::optional<std::string>{"EAAG-second-token"});
  CHECK(t.status() == "connected");
  std::remove(path.c_str());
}

TEST_CASE("a missing or empty token file means no token") {
  cloud_token missing{"/nonexistent/mc-token"};
  CHECK_FALSE(missing.current());
  CHECK(missing.status() == "token_missing");
  auto path = temp_path();
  write_file(path, "\n");
  cloud_token empty{path};
  CHECK_FALSE(empty.current());
  std::remove(path.c_str());
}
