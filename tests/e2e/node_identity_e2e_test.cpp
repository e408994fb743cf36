// Node ids bound to certificate names under mutual TLS: a node refuses to
// start with a certificate issued to another name, and a node refuses a
// peer whose certificate names another node than the one registered at
// its address.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <pqxx/pqxx>

#include "support/test_cluster.hpp"

using namespace mc::test;
using namespace std::chrono_literals;

TEST_CASE("a node whose certificate is issued to another name does not "
          "start, and says why") {
  test_cluster c{"e2e_tls_own_name"};
  c.use_tls();
  c.start("master", "m1");
  REQUIRE(issue_certs(c.tls_dir(), {"c1"}));
  auto dir = c.tls_dir();
  auto& c2 = c.start("coreapp", "c2",
                     {"--tls-cert", dir + "/c1.crt", "--tls-key",
                      dir + "/c1.key"});
  REQUIRE_MESSAGE(c2.wait_exit(15s), c2.log());
  CHECK(WIFEXITED(c2.status()));
  CHECK(WEXITSTATUS(c2.status()) == 1);
  CHECK_MESSAGE(c2.log().find("is issued to CN=c1, not to this node's id c2")
                  != std::string::npos,
                c2.log());
  CHECK(c.query("SELECT count(*) FROM nodes WHERE node_id = 'c2'") == "0");
  // Its own certificate starts it (a coreapp registers once it reached
  // the upstream).
  c.start_sim();
  auto& c3 = c.start("coreapp", "c3");
  CHECK(c.wait([&] {
    return c.query("SELECT count(*) FROM nodes WHERE node_id = 'c3'") == "1";
  }, 20s));
  CHECK(c3.running());
}

TEST_CASE("a master refuses a coreapp whose certificate names another "
          "node, and still supervises the real one") {
  test_cluster c{"e2e_tls_peer_name"};
  c.use_tls();
  c.start("master", "m1");
  c.start_sim();
  c.start("coreapp", "c1");
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 30s), c.logs());
  // A process with a valid certificate of the cluster, issued to "sim",
  // registers as coreapp "c9": the sim's own CAF port stands for it (the
  // master never connected there, so CAF opens a new connection).
  auto sim_port = c.query("SELECT caf_port FROM nodes WHERE node_id = 'sim'");
  REQUIRE(!sim_port.empty());
  {
    pqxx::connection conn{c.db_uri()};
    pqxx::work tx{conn};
    tx.exec_params("INSERT INTO nodes (node_id, role, host, caf_port, pid,"
                   " version, state) VALUES ('c9', 'coreapp', '127.0.0.1',"
                   " $1, 1, 'test', 'standby')",
                   std::stoi(sim_port));
    tx.commit();
  }
  auto& m1 = c.node("m1");
  std::string line = "refused the peer at 127.0.0.1:" + sim_port
                     + ": it registered as node c9 but its certificate is "
                       "issued to CN=sim";
  REQUIRE_MESSAGE(c.wait([&] {
    return m1.log().find(line) != std::string::npos;
  }, 15s), m1.log());
  CHECK(m1.log().find("supervising coreapp c9") == std::string::npos);
  CHECK(m1.log().find("supervising coreapp c1") != std::string::npos);
  CHECK(m1.running());
  CHECK(c.query("SELECT owner FROM shard_map WHERE shard_id = 0") == "c1");
}
