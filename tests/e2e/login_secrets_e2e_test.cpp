// Throttled logins on a real webapp, and no secret on a node's command
// line or in its log.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <httplib.h>
#include <rapidjson/document.h>

#include "support/test_cluster.hpp"

using namespace mc::test;
using namespace std::chrono_literals;

namespace {

struct login_answer {
  int status = 0;
  int code = 0; ///< errors[0].code, 0 without an error
  std::string retry_after;
};

login_answer login(uint16_t port, const std::string& user,
                   const std::string& password) {
  httplib::Client cli{"127.0.0.1", port};
  cli.set_basic_auth(user.c_str(), password.c_str());
  auto res = cli.Post("/v1/users/login", "", "application/json");
  login_answer out;
  if (!res)
    return out;
  out.status = res->status;
  out.retry_after = res->get_header_value("Retry-After");
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  if (doc.IsObject() && doc.HasMember("errors"))
    out.code = doc["errors"][0]["code"].GetInt();
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace

TEST_CASE("failed logins lock the user, then the client address, with "
          "On-Prem error 1031 and a Retry-After") {
  test_cluster c{"e2e_login_lock"};
  c.start("master", "m1");
  c.start_webapp();
  auto token = wait_for_admin_token(c.http_port(), 20s);
  REQUIRE_MESSAGE(!token.empty(), c.logs());
  // Five wrong passwords: 1005 each, then the account is locked.
  for (int i = 0; i < 5; ++i) {
    auto a = login(c.http_port(), "admin", "wrong");
    CHECK(a.status == 401);
    CHECK(a.code == 1005);
  }
  auto locked = login(c.http_port(), "admin", "Secr3t!pass");
  CHECK(locked.status == 401);
  CHECK(locked.code == 1031);
  CHECK(std::stoi(locked.retry_after) > 0);
  CHECK(std::stoi(locked.retry_after) <= 300);
  // Failures spread over many names lock the address (20 in all so far).
  for (int i = 0; i < 15; ++i)
    CHECK(login(c.http_port(), "nobody" + std::to_string(i), "x").code
          == 1005);
  CHECK(login(c.http_port(), "another", "x").code == 1031);
}

TEST_CASE("no secret on a node's command line or in its log") {
  test_cluster c{"e2e_no_secrets"};
  c.use_tls();
  c.start_sim();
  c.start("master", "m1");
  c.start("coreapp", "c1");
  c.start_webapp();
  auto token = wait_for_admin_token(c.http_port(), 20s);
  REQUIRE_MESSAGE(!token.empty(), c.logs());
  REQUIRE(c.wait([&] { return c.shard_owned(0); }, 20s));
  std::vector<std::string> secrets{
    c.query("SELECT api_key FROM cluster"),
    c.query("SELECT token_secret FROM cluster"), token, "Secr3t!pass"};
  // The database password, from the password file the tests use.
  auto passfile = std::getenv("PGPASSFILE");
  REQUIRE(passfile != nullptr);
  auto line = read_file(passfile);
  line = line.substr(0, line.find('\n'));
  secrets.push_back(line.substr(line.rfind(':') + 1));
  for (auto& s : secrets)
    REQUIRE(s.size() >= 8);
  for (auto id : {"sim", "m1", "c1", "w1"}) {
    auto cmdline = read_file("/proc/" + std::to_string(c.node(id).pid())
                             + "/cmdline");
    REQUIRE_FALSE(cmdline.empty());
    auto log = c.node(id).log();
    for (auto& s : secrets) {
      CHECK_MESSAGE(cmdline.find(s) == std::string::npos, id);
      CHECK_MESSAGE(log.find(s) == std::string::npos, id);
    }
  }
}
