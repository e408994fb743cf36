#include "support/test_db.hpp"

#include <atomic>
#include <cstdlib>
#include <random>
#include <unistd.h>

#include <doctest/doctest.h>
#include <pqxx/pqxx>

namespace mc::test {

std::string test_pg_base() {
  const char* base = std::getenv("MC_TEST_PG");
  if (base == nullptr || *base == '\0')
    FAIL("MC_TEST_PG is not set: run the tests through ./deploy/test, which "
         "starts a private PostgreSQL");
  return base;
}

scratch_db::scratch_db(const std::string& hint)
  : scratch_db(hint, test_pg_base()) {
}

scratch_db::scratch_db(const std::string& hint, const std::string& base)
  : base_(base) {
  static std::atomic<int> counter{0};
  std::random_device rd;
  name_ = "mc_" + hint + "_" + std::to_string(getpid()) + "_"
          + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
  pqxx::connection c{base + "/postgres"};
  pqxx::nontransaction tx{c};
  tx.exec("CREATE DATABASE " + tx.quote_name(name_));
  uri_ = base + "/" + name_;
}

scratch_db::~scratch_db() {
  try {
    pqxx::connection c{base_ + "/postgres"};
    pqxx::nontransaction tx{c};
    tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_)
            + " WITH (FORCE)");
  } catch (...) {
    // The test PostgreSQL is thrown away after the run anyway.
  }
}

} // namespace mc::test
