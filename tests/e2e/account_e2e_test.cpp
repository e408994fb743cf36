#include <doctest/doctest.h>

#include <utility>

#include <httplib.h>
#include <pqxx/pqxx>
#include <rapidjson/document.h>

#include "support/test_cluster.hpp"

/// The account and settings routes on a real cluster: users, application
/// settings, registration by code through the upstream simulator, two-step
/// verification guarding the shard-count change.

using namespace mc::test;
using namespace std::chrono_literals;

namespace {

struct reply {
  int status = 0;
  std::string body;
};

/// One API call with the bearer token; status 0 when nothing answered.
reply call(uint16_t port, const std::string& token, const std::string& method,
           const std::string& path, const std::string& body = "{}") {
  httplib::Client cli{"127.0.0.1", port};
  cli.set_read_timeout(20s);
  httplib::Headers h{{"Authorization", "Bearer " + token}};
  httplib::Result res{nullptr, httplib::Error::Unknown};
  if (method == "GET")
    res = cli.Get(path.c_str(), h);
  else if (method == "POST")
    res = cli.Post(path.c_str(), h, body, "application/json");
  else if (method == "PUT")
    res = cli.Put(path.c_str(), h, body, "application/json");
  else if (method == "PATCH")
    res = cli.Patch(path.c_str(), h, body, "application/json");
  else
    res = cli.Delete(path.c_str(), h, body, "application/json");
  if (!res)
    return {};
  return {res->status, res->body};
}

rapidjson::Document parse(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  if (!doc.IsObject())
    doc.SetObject();
  return doc;
}

int error_code(const reply& r) {
  auto doc = parse(r.body);
  if (!doc.HasMember("errors"))
    return 0;
  return doc["errors"][0]["code"].GetInt();
}

/// Runs SQL on the cluster database (test_cluster::query only reads).
void exec(const test_cluster& c, const std::string& sql) {
  pqxx::connection conn{c.db_uri()};
  pqxx::work tx{conn};
  tx.exec(sql);
  tx.commit();
}

struct account_cluster {
  test_cluster c{"e2e_account"};
  std::string token;

  account_cluster() {
    c.start_sim();
    c.start("master", "m1");
    c.start("coreapp", "c1");
    c.start("coreapp", "c2");
    c.start_webapp();
    REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 30s), c.logs());
    token = wait_for_admin_token(c.http_port(), 10s);
    REQUIRE_FALSE(token.empty());
  }

  reply api(const std::string& method, const std::string& path,
            const std::string& body = "{}") {
    return call(c.http_port(), token, method, path, body);
  }
};

const std::string account_fields
  = R"("cc":"1","phone_number":"6315551234")";

} // namespace

TEST_CASE("users: create, read, change password, delete; the admin stays") {
  account_cluster ac;
  auto r = ac.api("POST", "/v1/users",
                  R"({"username":"bob","password":"B0b!passw"})");
  REQUIRE_MESSAGE(r.status == 201, r.body);
  r = ac.api("GET", "/v1/users/bob");
  CHECK(r.status == 200);
  CHECK(std::string{parse(r.body)["users"][0]["username"].GetString()}
        == "bob");
  r = ac.api("PUT", "/v1/users/bob", R"({"password":"weak"})");
  CHECK(r.status == 400);
  CHECK(error_code(r) == 1009);
  r = ac.api("PUT", "/v1/users/bob", R"({"password":"N3w!passwd"})");
  CHECK(r.status == 200);
  // The new password logs in, the old one no longer does.
  httplib::Client cli{"127.0.0.1", ac.c.http_port()};
  cli.set_basic_auth("bob", "N3w!passwd");
  auto login = cli.Post("/v1/users/login", "", "application/json");
  REQUIRE(login);
  CHECK(login->status == 200);
  cli.set_basic_auth("bob", "B0b!passw");
  login = cli.Post("/v1/users/login", "", "application/json");
  REQUIRE(login);
  CHECK(login->status == 401);
  CHECK(ac.api("DELETE", "/v1/users/admin").status == 403);
  CHECK(ac.api("DELETE", "/v1/users/bob").status == 200);
  r = ac.api("GET", "/v1/users/bob");
  CHECK(r.status == 404);
  CHECK(error_code(r) == 1006);
}

TEST_CASE("settings: PATCH, GET and DELETE round trip every documented "
          "field") {
  account_cluster ac;
  auto r = ac.api("PATCH", "/v1/settings/application",
                  R"({"pass_through":true,"media":{"auto_download":["image"]},)"
                  R"("webhooks":{"max_concurrent_requests":18,)"
                  R"("message":{"sent":true,"delivered":false,"read":true}}})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto app = parse(ac.api("GET", "/v1/settings/application").body);
  auto& a = app["settings"]["application"];
  CHECK(a["pass_through"].GetBool());
  CHECK(a["media"]["auto_download"].Size() == 1);
  CHECK(a["webhooks"]["max_concurrent_requests"].GetInt() == 18);
  CHECK(a["webhooks"]["message"]["sent"].GetBool());
  CHECK_FALSE(a["webhooks"]["message"]["delivered"].GetBool());
  CHECK(error_code(ac.api("PATCH", "/v1/settings/application",
                          R"({"webhooks":{"max_concurrent_requests":7}})"))
        == 1009);
  CHECK(ac.api("DELETE", "/v1/settings/application").status == 200);
  app = parse(ac.api("GET", "/v1/settings/application").body);
  auto& d = app["settings"]["application"];
  CHECK_FALSE(d["pass_through"].GetBool());
  CHECK(d["webhooks"]["max_concurrent_requests"].GetInt() == 6);
  CHECK(d["webhooks"]["message"]["delivered"].GetBool());
}

TEST_CASE("registration by code: 202 with the vname, the code read from the "
          "simulator, verify 201; then two-step guards the shards") {
  account_cluster ac;
  auto r = ac.api("POST", "/v1/account",
                  "{" + account_fields
                    + R"(,"cert":"Q0VSVA==","method":"sms"})");
  REQUIRE_MESSAGE(r.status == 202, r.body, ac.c.logs());
  CHECK(std::string{parse(r.body)["account"][0]["vname"].GetString()}
        != "");
  httplib::Client sim{"127.0.0.1", ac.c.sim_http_port()};
  auto code_res = sim.Get("/account/code?account=16315551234");
  REQUIRE(code_res);
  REQUIRE(code_res->status == 200);
  std::string code = parse(code_res->body)["code"].GetString();
  std::string wrong = code == "000000" ? "111111" : "000000";
  r = ac.api("POST", "/v1/account/verify", R"({"code":")" + wrong + "\"}");
  CHECK(r.status == 400);
  CHECK(error_code(r) == 1009);
  r = ac.api("POST", "/v1/account/verify", R"({"code":")" + code + "\"}");
  REQUIRE_MESSAGE(r.status == 201, r.body, ac.c.logs());
  CHECK(ac.c.query("SELECT phone_number FROM cluster") == "6315551234");
  // Registered now: the same number and cert need no code.
  r = ac.api("POST", "/v1/account",
             "{" + account_fields + R"(,"cert":"Q0VSVA==","method":"sms"})");
  CHECK_MESSAGE(r.status == 201, r.body);

  // Two-step on: the shard-count change needs the pin.
  CHECK(ac.api("POST", "/v1/settings/account/two-step", R"({"pin":"12345"})")
          .status
        == 400);
  REQUIRE(ac.api("POST", "/v1/settings/account/two-step",
                 R"({"pin":"123456"})")
            .status
          == 200);
  CHECK(ac.c.query("SELECT pin_hash <> '123456' FROM cluster") == "t");
  auto shards = [&](const std::string& extra) {
    return ac.api("POST", "/v1/account/shards",
                  "{" + account_fields + R"(,"shards":1)" + extra + "}");
  };
  r = shards(R"(,"cert":"Q0VSVA==")");
  CHECK(r.status == 400);
  CHECK(error_code(r) == 1008);
  r = shards(R"(,"cert":"Q0VSVA==","pin":"654321")");
  CHECK(r.status == 403);
  CHECK(error_code(r) == 1005);
  // Within 7 days of registration the cert may be left out.
  r = shards(R"(,"pin":"123456")");
  CHECK_MESSAGE(r.status == 201, r.body);
  exec(ac.c, "UPDATE cluster SET registered_at = now() - interval '8 days'");
  r = shards(R"(,"pin":"123456")");
  CHECK(r.status == 400);
  CHECK(error_code(r) == 1008);
  r = shards(R"(,"pin":"123456","cert":"Q0VSVA==")");
  CHECK_MESSAGE(r.status == 201, r.body);
  // Two-step off: no pin, and a null pin, are fine again.
  REQUIRE(ac.api("DELETE", "/v1/settings/account/two-step").status == 200);
  r = shards(R"(,"pin":null,"cert":"Q0VSVA==")");
  CHECK_MESSAGE(r.status == 201, r.body);
}

TEST_CASE("profile: about, photo and business profile round trip") {
  account_cluster ac;
  CHECK(ac.api("PATCH", "/v1/settings/profile/about", R"({"text":"Open"})")
          .status
        == 200);
  auto doc = parse(ac.api("GET", "/v1/settings/profile/about").body);
  CHECK(std::string{doc["settings"]["profile"]["about"]["text"].GetString()}
        == "Open");
  CHECK(ac.api("GET", "/v1/settings/profile/photo").status == 404);
  httplib::Client cli{"127.0.0.1", ac.c.http_port()};
  httplib::Headers h{{"Authorization", "Bearer " + ac.token}};
  std::string jpeg = "\xFF\xD8\xFF\xE0 photo bytes";
  auto up = cli.Post("/v1/settings/profile/photo", h, jpeg, "image/jpeg");
  REQUIRE(up);
  CHECK(up->status == 200);
  auto got = cli.Get("/v1/settings/profile/photo", h);
  REQUIRE(got);
  CHECK(got->status == 200);
  CHECK(got->body == jpeg);
  CHECK(got->get_header_value("Content-Type") == "image/jpeg");
  CHECK(ac.api("DELETE", "/v1/settings/profile/photo").status == 200);
  CHECK(ac.api("GET", "/v1/settings/profile/photo").status == 404);
  CHECK(ac.api("POST", "/v1/settings/business/profile",
               R"({"vertical":"Restaurant","websites":["https://a.example"]})")
          .status
        == 200);
  CHECK(error_code(ac.api("POST", "/v1/settings/business/profile",
                          R"({"vertical":"Nope"})"))
        == 1009);
  doc = parse(ac.api("GET", "/v1/settings/business/profile").body);
  CHECK(std::string{
          doc["settings"]["business"]["profile"]["vertical"].GetString()}
        == "Restaurant");
}
