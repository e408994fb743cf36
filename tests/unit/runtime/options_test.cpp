#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "runtime/options.hpp"

using namespace mc;

namespace {

parse_result parse(std::vector<const char*> args) {
  args.insert(args.begin(), "multiconnect");
  return parse_options(static_cast<int>(args.size()), args.data());
}

} // namespace

TEST_CASE("a complete command line parses") {
  auto r = parse({"--role", "webapp", "--node-id", "w1", "--db",
                  "postgresql://x/y", "--http-port=9090"});
  REQUIRE(r.opts);
  CHECK(r.opts->role == role::webapp);
  CHECK(r.opts->node_id == "w1");
  CHECK(r.opts->http_port == 9090);
  CHECK(r.opts->advertise_host == "127.0.0.1");
}

TEST_CASE("--help prints usage and exits 0") {
  auto r = parse({"--help"});
  CHECK_FALSE(r.opts);
  CHECK(r.exit_code == 0);
  CHECK(r.message.find("--role") != std::string::npos);
}

TEST_CASE("bad flags give one clear line and exit 2") {
  auto unknown = parse({"--role", "master", "--node-id", "m", "--db", "x",
                        "--bogus", "1"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.message.find("unknown option --bogus") != std::string::npos);
  CHECK(unknown.message.find('\n') == std::string::npos);
  auto bad_role = parse({"--role", "king", "--node-id", "m", "--db", "x"});
  CHECK(bad_role.exit_code == 2);
  CHECK(bad_role.message.find("--role") != std::string::npos);
  auto bad_port = parse({"--role", "master", "--node-id", "m", "--db", "x",
                         "--caf-port", "70000"});
  CHECK(bad_port.exit_code == 2);
  auto missing = parse({"--role", "master", "--db", "x"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.message.find("--node-id") != std::string::npos);
  auto no_role = parse({"--node-id", "m", "--db", "x"});
  CHECK(no_role.exit_code == 2);
  auto dangling = parse({"--role"});
  CHECK(dangling.exit_code == 2);
}

TEST_CASE("a config file is read and flags win over it") {
  auto path = std::string{"/tmp/mc_options_test_"} + std::to_string(::getpid());
  {
    std::ofstream out(path);
    out << "# comment\nrole = coreapp\nnode-id = c1\ndb = postgresql://a/b\n"
           "caf-port = 4000\n";
  }
  auto r = parse({"--config", path.c_str(), "--caf-port", "4001"});
  std::remove(path.c_str());
  REQUIRE(r.opts);
  CHECK(r.opts->role == role::coreapp);
  CHECK(r.opts->node_id == "c1");
  CHECK(r.opts->caf_port == 4001);
}

TEST_CASE("a broken config file names the line") {
  auto path = std::string{"/tmp/mc_options_bad_"} + std::to_string(::getpid());
  {
    std::ofstream out(path);
    out << "role = coreapp\nthis is not a setting\n";
  }
  auto r = parse({"--config", path.c_str(), "--node-id", "x", "--db", "y"});
  std::remove(path.c_str());
  CHECK(r.exit_code == 2);
  CHECK(r.message.find(":2:") != std::string::npos);
}

TEST_CASE("the simulator's query API stays on loopback unless asked, "
          "whatever --bind says, and --help calls it a test tool") {
  auto r = parse({"--role", "upstream-sim", "--node-id", "sim", "--db",
                  "postgresql://x/y", "--bind", "10.0.0.5"});
  REQUIRE(r.opts);
  CHECK(r.opts->bind_host == "10.0.0.5");
  CHECK(r.opts->sim_query_bind == "127.0.0.1");
  auto asked = parse({"--role", "upstream-sim", "--node-id", "sim", "--db",
                      "postgresql://x/y", "--sim-query-bind", "0.0.0.0"});
  REQUIRE(asked.opts);
  CHECK(asked.opts->sim_query_bind == "0.0.0.0");
  auto help = parse({"--help"});
  CHECK(help.message.find("TEST TOOL") != std::string::npos);
}

TEST_CASE("cloud-sim needs no database but a token file, and its HTTPS "
          "takes a certificate and key without a CA") {
  auto r = parse({"--role", "cloud-sim", "--node-id", "c", "--http-port",
                  "9290", "--sim-query-port", "9291", "--cloud-token-file",
                  "/tmp/t", "--cloud-mps", "5", "--cloud-sim-pair-per-min",
                  "3", "--tls-cert", "c.crt", "--tls-key", "c.key"});
  REQUIRE_MESSAGE(r.opts, r.message);
  CHECK(r.opts->db_uri.empty());
  CHECK(r.opts->sim_query_port == 9291);
  CHECK(r.opts->cloud_mps == 5);
  CHECK(r.opts->cloud_pair_per_min == 3);
  CHECK(r.opts->cloud_read_ms == 1000);
  auto no_token = parse({"--role", "cloud-sim", "--node-id", "c"});
  CHECK(no_token.exit_code == 2);
  CHECK(no_token.message.find("--cloud-token-file") != std::string::npos);
  auto unsigned_hook = parse({"--role", "cloud-sim", "--node-id", "c",
                              "--cloud-token-file", "/tmp/t",
                              "--cloud-sim-webhook", "http://127.0.0.1:1/h"});
  CHECK(unsigned_hook.message.find("--cloud-app-secret-file")
        != std::string::npos);
  auto bad_url = parse({"--role", "cloud-sim", "--node-id", "c",
                        "--cloud-token-file", "/tmp/t", "--cloud-sim-webhook",
                        "ftp://x"});
  CHECK(bad_url.exit_code == 2);
  auto half_tls = parse({"--role", "cloud-sim", "--node-id", "c",
                         "--cloud-token-file", "/tmp/t", "--tls-cert", "c"});
  CHECK(half_tls.exit_code == 2);
  // Other roles still need --db.
  CHECK(parse({"--role", "master", "--node-id", "m"}).exit_code == 2);
}
