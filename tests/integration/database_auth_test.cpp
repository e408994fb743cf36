// Database access with a password: the private PostgreSQL of deploy/pg-start
// (the one of deploy/up and of these tests) and its TLS variant.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include <pqxx/pqxx>

#include "support/processes.hpp"
#include "support/test_db.hpp"

using namespace mc::test;

namespace {

/// True if a connection with `conninfo` opens and runs a query.
bool connects(const std::string& conninfo) {
  try {
    pqxx::connection c{conninfo};
    pqxx::nontransaction tx{c};
    tx.exec("SELECT 1");
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

/// A TLS-only PostgreSQL of deploy/pg-start in a temp dir, stopped and
/// purged at the end.
struct tls_postgres {
  std::string dir;
  uint16_t port = free_port();
  bool started = false;

  tls_postgres() {
    char tmpl[] = "/tmp/mc-pgtls-XXXXXX";
    dir = ::mkdtemp(tmpl);
    started = run("pg-start " + dir + "/pg " + std::to_string(port)
                  + " --fast --ssl " + dir + "/ca");
  }

  ~tls_postgres() {
    run("pg-stop " + dir + "/pg --purge");
    std::system(("rm -rf " + dir).c_str());
  }

  static bool run(const std::string& script_and_args) {
    auto cmd = std::string{MC_SOURCE_DIR} + "/deploy/" + script_and_args
               + " >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
  }

  /// Connection parameters of the cluster's role on this instance.
  std::string conninfo(const std::string& ssl) const {
    return "host=localhost port=" + std::to_string(port)
           + " dbname=postgres user=multiconnect passfile=" + dir
           + "/pg/cluster.pgpass " + ssl;
  }
};

} // namespace

TEST_CASE("the test PostgreSQL asks every connection for a password and "
          "its cluster role may create databases but is no superuser") {
  auto base = test_pg_base();
  REQUIRE(std::getenv("PGPASSFILE") != nullptr);
  auto uri = base + "/postgres";
  REQUIRE(connects(uri));
  pqxx::connection c{uri};
  pqxx::nontransaction tx{c};
  auto r = tx.exec("SELECT rolsuper, rolcreatedb FROM pg_roles "
                   "WHERE rolname = current_user");
  CHECK_FALSE(r[0][0].as<bool>());
  CHECK(r[0][1].as<bool>());
  // Without the password file the same URI is refused: no trust anywhere.
  CHECK_FALSE(connects(uri + "?passfile=/nonexistent"));
}

TEST_CASE("sslmode=verify-full against a TLS PostgreSQL with a certificate "
          "of the private CA, plain and foreign-CA connections refused") {
  tls_postgres pg;
  REQUIRE(pg.started);
  auto ca = pg.dir + "/ca/ca.crt";
  auto info = pg.conninfo("sslmode=verify-full sslrootcert=" + ca);
  REQUIRE(connects(info));
  {
    pqxx::connection c{info};
    pqxx::nontransaction tx{c};
    CHECK(tx.exec("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            [0][0]
              .as<bool>());
  }
  // The server accepts TCP only over TLS.
  CHECK_FALSE(connects(pg.conninfo("sslmode=disable")));
  // A client that trusts another CA refuses the server.
  REQUIRE(tls_postgres::run("ca " + pg.dir + "/other"));
  CHECK_FALSE(connects(pg.conninfo("sslmode=verify-full sslrootcert="
                                   + pg.dir + "/other/ca.crt")));
}
