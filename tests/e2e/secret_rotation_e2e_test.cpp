// Rotation of the token secret and the API key with deploy/rotate-secrets
// on a running webapp: the previous secret's tokens work for the overlap
// and are refused after it; the new API key works and the old one is
// refused; no restart.
#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include <httplib.h>
#include <rapidjson/document.h>

#include "http/token.hpp"
#include "support/test_cluster.hpp"

using namespace mc::test;
using namespace std::chrono_literals;

namespace {

/// A scratch directory for the script's secrets and output, removed at
/// the end.
struct scratch_dir {
  std::string path;
  scratch_dir() {
    char tmpl[] = "/tmp/mc-rotate-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~scratch_dir() { std::system(("rm -rf " + path).c_str()); }
};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Runs deploy/rotate-secrets against the cluster's database with `args`;
/// its output goes to `out`/rotate.log. The exit status.
int rotate(const test_cluster& c, const scratch_dir& out,
           const std::string& args) {
  auto cmd = std::string{MC_SOURCE_DIR} + "/deploy/rotate-secrets --db '"
             + c.db_uri() + "' --secrets-dir " + out.path + "/secrets "
             + args + " >>" + out.path + "/rotate.log 2>&1";
  return std::system(cmd.c_str());
}

/// Status of GET `path` with `headers`, and whether a refusal had the
/// On-Prem shape with code 1005.
struct answer {
  int status = 0;
  bool onprem_1005 = false;
};

answer get(uint16_t port, const std::string& path,
           const httplib::Headers& headers) {
  httplib::Client cli{"127.0.0.1", port};
  cli.set_read_timeout(5, 0);
  auto res = cli.Get(path.c_str(), headers);
  answer a;
  if (!res)
    return a;
  a.status = res->status;
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  a.onprem_1005 = doc.IsObject() && doc.HasMember("errors")
                  && doc["errors"].IsArray() && doc["errors"].Size() == 1
                  && doc["errors"][0]["code"].GetInt() == 1005
                  && doc["errors"][0].HasMember("title");
  return a;
}

/// Status of an admin route with bearer `token`.
answer with_token(uint16_t port, const std::string& token) {
  return get(port, "/v1/settings/application",
             {{"Authorization", "Bearer " + token}});
}

/// Status of a monitoring route with "Authorization: Apikey `key`".
answer with_key(uint16_t port, const std::string& key) {
  return get(port, "/v1/health", {{"Authorization", "Apikey " + key}});
}

/// An admin token signed with `secret`, as a webapp holding it signs one.
std::string token_signed_by(const std::string& secret) {
  mc::http::token_claims c;
  c.token_id = mc::http::new_token_id();
  c.username = "admin";
  c.is_admin = true;
  c.expires_at = static_cast<int64_t>(std::time(nullptr)) + 3600;
  return mc::http::sign_token(c, secret);
}

} // namespace

TEST_CASE("after deploy/rotate-secrets --token-secret the previous "
          "secret's tokens work for the overlap, then get 401") {
  test_cluster c{"e2e_rotate_token"};
  scratch_dir out;
  c.start("master", "m1");
  c.start_webapp();
  auto old_token = wait_for_admin_token(c.http_port(), 20s);
  REQUIRE_MESSAGE(!old_token.empty(), c.logs());
  REQUIRE(c.wait([&] {
    return !c.query("SELECT to_regproc('mc_rotate_token_secret')").empty();
  }, 10s));
  auto old_secret = c.query("SELECT token_secret FROM cluster");
  REQUIRE(with_token(c.http_port(), old_token).status == 200);

  constexpr auto overlap = 4s;
  auto rotated_at = std::chrono::steady_clock::now();
  REQUIRE_MESSAGE(rotate(c, out, "--token-secret --overlap 4") == 0,
                  read_file(out.path + "/rotate.log"));
  auto new_secret = c.query("SELECT token_secret FROM cluster");
  REQUIRE(new_secret.size() == 64);
  CHECK(new_secret != old_secret);
  // The API key was left alone.
  CHECK(read_file(out.path + "/secrets/api-key").empty());

  // The webapp takes the new secret without a restart: a token signed by
  // it is accepted once the webapp reloaded (every 4 heartbeats, 1 s).
  auto new_token = token_signed_by(new_secret);
  REQUIRE_MESSAGE(c.wait([&] {
    return with_token(c.http_port(), new_token).status == 200;
  }, 5s), c.logs());
  // Within the overlap the old token still works (the reload came within
  // about a second of the rotation; the overlap is 4 s).
  auto old_answer = with_token(c.http_port(), old_token);
  auto checked_at = std::chrono::steady_clock::now();
  if (checked_at < rotated_at + overlap - 500ms)
    CHECK(old_answer.status == 200);
  else
    MESSAGE("the reload came too late to test the overlap's start");
  // A login now answers a token of the new secret.
  httplib::Client cli{"127.0.0.1", c.http_port()};
  cli.set_basic_auth("admin", "Secr3t!pass");
  auto login = cli.Post("/v1/users/login", "", "application/json");
  REQUIRE(login);
  REQUIRE(login->status == 200);
  rapidjson::Document doc;
  doc.Parse(login->body.c_str());
  std::string login_token = doc["users"][0]["token"].GetString();

  // After the overlap the old token is refused, in the On-Prem shape, and
  // not before the overlap ended.
  answer refused;
  REQUIRE(c.wait([&] {
    refused = with_token(c.http_port(), old_token);
    return refused.status == 401;
  }, overlap + 5s));
  CHECK(std::chrono::steady_clock::now() >= rotated_at + overlap - 200ms);
  CHECK(refused.onprem_1005);
  CHECK(with_token(c.http_port(), new_token).status == 200);
  CHECK(with_token(c.http_port(), login_token).status == 200);
  CHECK(login_token != old_token);

  // The script printed no secret.
  auto log = read_file(out.path + "/rotate.log");
  CHECK(log.find("token secret rotated") != std::string::npos);
  CHECK(log.find(new_secret) == std::string::npos);
  CHECK(log.find(old_secret) == std::string::npos);
}

TEST_CASE("after deploy/rotate-secrets --api-key the new key works at once "
          "the webapp reloads, the old one gets 401, and the key files are "
          "0600") {
  test_cluster c{"e2e_rotate_key"};
  scratch_dir out;
  c.start("master", "m1");
  c.start_webapp();
  REQUIRE_MESSAGE(!wait_for_admin_token(c.http_port(), 20s).empty(),
                  c.logs());
  REQUIRE(c.wait([&] {
    return !c.query("SELECT to_regproc('mc_rotate_api_key')").empty();
  }, 10s));
  auto old_key = c.query("SELECT api_key FROM cluster");
  auto old_secret = c.query("SELECT token_secret FROM cluster");
  REQUIRE(with_key(c.http_port(), old_key).status == 200);

  // A bad overlap is refused before anything changes.
  CHECK(rotate(c, out, "--overlap soon") != 0);
  CHECK(rotate(c, out, "--overlap 604801") != 0);
  CHECK(c.query("SELECT api_key FROM cluster") == old_key);
  CHECK(c.query("SELECT token_secret FROM cluster") == old_secret);

  REQUIRE_MESSAGE(rotate(c, out, "--api-key") == 0,
                  read_file(out.path + "/rotate.log"));
  auto new_key = c.query("SELECT api_key FROM cluster");
  REQUIRE(new_key.size() == 64);
  CHECK(new_key != old_key);
  CHECK(c.query("SELECT token_secret FROM cluster") == old_secret);
  CHECK(read_file(out.path + "/secrets/api-key") == new_key + "\n");
  CHECK(read_file(out.path + "/secrets/api-key.header")
        == "X-API-Key: " + new_key + "\n");
  for (auto name : {"/secrets/api-key", "/secrets/api-key.header"}) {
    struct stat st {};
    REQUIRE(::stat((out.path + name).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
  }

  REQUIRE_MESSAGE(c.wait([&] {
    return with_key(c.http_port(), new_key).status == 200;
  }, 5s), c.logs());
  auto refused = with_key(c.http_port(), old_key);
  CHECK(refused.status == 401);
  CHECK(refused.onprem_1005);
  // The header file is what curl -H @FILE sends.
  CHECK(get(c.http_port(), "/v1/health", {{"X-API-Key", new_key}}).status
        == 200);
  auto log = read_file(out.path + "/rotate.log");
  CHECK(log.find("API key rotated") != std::string::npos);
  CHECK(log.find(new_key) == std::string::npos);
}
