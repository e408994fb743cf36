#include "support/cloud_bridge.hpp"

#include <cstdio>
#include <fstream>
#include <thread>

#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include "runtime/cloud/cloud_signature.hpp"

using namespace std::chrono_literals;

namespace mc::test {

cloud_bridge::cloud_bridge(const std::string& name, int coreapps, int shards,
                           std::vector<std::string> sim_flags)
  : c(name) {
  secret_file_ = "/tmp/mc-cloud-secret-" + name + "-"
                 + std::to_string(::getpid());
  secret_ = "app-secret-" + name;
  std::ofstream{secret_file_} << secret_ << "\n";
  c.start("master", "m1");
  if (shards > 1)
    REQUIRE(c.set_initial_shards(shards, 20s));
  c.start_webapp("w1", {"--upstream", "cloud", "--cloud-app-secret-file",
                        secret_file_, "--cloud-verify-token", verify_token});
  std::vector<std::string> flags{
    "--cloud-sim-webhook",
    "http://127.0.0.1:" + std::to_string(c.http_port()) + "/v1/cloud/webhook",
    "--cloud-app-secret-file", secret_file_, "--cloud-verify-token",
    verify_token, "--cloud-sim-delivered-ms", "50", "--cloud-sim-read-ms",
    "100", "--cloud-mps", "1000", "--cloud-mps-burst", "200",
    "--cloud-sim-pair-per-min", "6000", "--cloud-sim-pair-burst", "100"};
  flags.insert(flags.end(), sim_flags.begin(), sim_flags.end());
  sim = std::make_unique<test_cloud_sim>(name, flags);
  REQUIRE(sim->wait_ready(10s));
  for (int i = 1; i <= coreapps; ++i)
    c.start("coreapp", "c" + std::to_string(i), coreapp_flags());
  for (int s = 0; s < shards; ++s)
    REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(s); }, 20s), c.logs());
  token = wait_for_admin_token(c.http_port(), 10s);
  REQUIRE_FALSE(token.empty());
  auto patch = api().Patch("/v1/settings/application", auth(),
                           R"({"webhooks":{"url":")" + hook.url()
                             + R"("},"sent_status":true})",
                           "application/json");
  REQUIRE(patch);
  REQUIRE(patch->status == 200);
  std::this_thread::sleep_for(1500ms); // nodes pick settings up in 1 s
}

cloud_bridge::~cloud_bridge() {
  std::remove(secret_file_.c_str());
}

std::vector<std::string> cloud_bridge::coreapp_flags() const {
  return {"--upstream", "cloud", "--cloud-url",
          "http://127.0.0.1:" + std::to_string(sim->port()),
          "--cloud-phone-number-id", test_cloud_sim::phone_number_id(),
          "--cloud-token-file", sim->dir() + "/token", "--cloud-mps", "1000"};
}

httplib::Client cloud_bridge::api() const {
  httplib::Client cli{"127.0.0.1", c.http_port()};
  cli.set_read_timeout(10, 0);
  return cli;
}

httplib::Headers cloud_bridge::auth() const {
  return {{"Authorization", "Bearer " + token}};
}

std::string cloud_bridge::send_text(const std::string& to,
                                    const std::string& body,
                                    const std::string& key) {
  auto headers = auth();
  if (!key.empty())
    headers.emplace("X-Idempotency-Key", key);
  auto res = api().Post("/v1/messages", headers,
                        R"({"to":")" + to + R"(","type":"text","text":)"
                          R"({"body":")"
                          + body + R"("}})",
                        "application/json");
  if (!res || res->status != 201)
    return {};
  rapidjson::Document d;
  d.Parse(res->body.c_str());
  return d["messages"][0]["id"].GetString();
}

int cloud_bridge::post_cloud_webhook(const std::string& body) {
  httplib::Client web{"127.0.0.1", c.http_port()};
  web.set_read_timeout(10, 0);
  auto res = web.Post("/v1/cloud/webhook",
                      {{"X-Hub-Signature-256",
                        cloud_signature{secret_}.sign(body)}},
                      body, "application/json");
  return res ? res->status : 0;
}

std::map<std::string, int> cloud_bridge::sim_bodies() {
  std::map<std::string, int> out;
  for (auto& [to, bodies] : sim_bodies_by_recipient())
    for (auto& b : bodies)
      ++out[b];
  return out;
}

std::map<std::string, std::vector<std::string>>
cloud_bridge::sim_bodies_by_recipient() {
  std::map<std::string, std::vector<std::string>> out;
  auto d = sim->query("/messages?from=0&limit=100000");
  if (!d.IsObject() || !d.HasMember("messages"))
    return out;
  for (auto& m : d["messages"].GetArray()) {
    rapidjson::Document body;
    body.Parse(m["body"].GetString());
    if (body.IsObject() && body.HasMember("text"))
      out[m["recipient"].GetString()].push_back(
        body["text"]["body"].GetString());
  }
  return out;
}

} // namespace mc::test
