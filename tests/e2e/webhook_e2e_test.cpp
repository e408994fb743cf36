#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include <httplib.h>
#include <rapidjson/document.h>

#include "support/test_cluster.hpp"

using namespace mc::test;
using namespace std::chrono_literals;

namespace {

/// A webhook receiver on loopback that records every body and can refuse
/// the first N posts (to exercise the retry path).
class webhook_receiver {
public:
  explicit webhook_receiver(int refuse_first) : refuse_left_(refuse_first) {
    srv_.Post("/hook", [this](const httplib::Request& req,
                              httplib::Response& res) {
      std::lock_guard<std::mutex> guard{mtx_};
      ++posts_;
      if (refuse_left_ > 0) {
        --refuse_left_;
        res.status = 500;
        return;
      }
      bodies_.push_back(req.body);
      res.status = 200;
    });
    port_ = srv_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread{[this] { srv_.listen_after_bind(); }};
    while (!srv_.is_running())
      std::this_thread::sleep_for(1ms);
  }

  ~webhook_receiver() {
    srv_.stop();
    thread_.join();
  }

  int port() const { return port_; }

  int posts() {
    std::lock_guard<std::mutex> guard{mtx_};
    return posts_;
  }

  /// All statuses as "id:status" and inbound messages as "from:body".
  std::vector<std::string> events() {
    std::lock_guard<std::mutex> guard{mtx_};
    std::vector<std::string> out;
    for (auto& body : bodies_) {
      rapidjson::Document doc;
      doc.Parse(body.c_str());
      if (!doc.IsObject())
        continue;
      if (doc.HasMember("statuses"))
        for (auto& s : doc["statuses"].GetArray())
          out.push_back(std::string{s["id"].GetString()} + ":"
                        + s["status"].GetString());
      if (doc.HasMember("messages"))
        for (auto& m : doc["messages"].GetArray())
          out.push_back(std::string{m["from"].GetString()} + ":"
                        + m["text"]["body"].GetString());
    }
    return out;
  }

private:
  httplib::Server srv_;
  std::thread thread_;
  std::mutex mtx_;
  int port_ = 0;
  int posts_ = 0;
  int refuse_left_ = 0;
  std::vector<std::string> bodies_;
};

bool contains(const std::vector<std::string>& xs, const std::string& x) {
  return std::find(xs.begin(), xs.end(), x) != xs.end();
}

} // namespace

TEST_CASE("statuses and inbound messages reach the webhook in the On-Prem "
          "shape, and a refusing webhook is retried") {
  webhook_receiver hook{2};
  test_cluster c{"e2e_hook"};
  c.start_sim({"--sim-delivered-ms", "50", "--sim-read-ms", "100"});
  c.start("master", "m1");
  c.start("coreapp", "c1");
  c.start("coreapp", "c2");
  c.start_webapp();
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 20s),
                  c.logs());
  auto token = wait_for_admin_token(c.http_port(), 10s);
  REQUIRE_FALSE(token.empty());
  httplib::Client api{"127.0.0.1", c.http_port()};
  httplib::Headers auth{{"Authorization", "Bearer " + token}};
  // A short backoff so the test sees the retry; sent statuses on.
  auto patch = api.Patch("/v1/settings/application", auth,
                         R"({"webhooks":{"url":"http://127.0.0.1:)"
                           + std::to_string(hook.port())
                           + R"(/hook"},"sent_status":true,)"
                             R"("callback_backoff_delay_ms":200})",
                         "application/json");
  REQUIRE(patch);
  REQUIRE(patch->status == 200);
  // Nodes pick settings up within a second.
  std::this_thread::sleep_for(1500ms);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto res = api.Post("/v1/messages", auth,
                        R"({"to":"1555000020)" + std::to_string(i)
                          + R"(","type":"text","text":{"body":"hook"}})",
                        "application/json");
    REQUIRE(res);
    REQUIRE(res->status == 201);
    rapidjson::Document doc;
    doc.Parse(res->body.c_str());
    ids.push_back(doc["messages"][0]["id"].GetString());
  }
  httplib::Client sim{"127.0.0.1", c.sim_http_port()};
  auto inbound = sim.Post("/inbound",
                          R"({"account":"default","from":"15550009999",)"
                          R"("body":"hello business"})",
                          "application/json");
  REQUIRE(inbound);
  REQUIRE(inbound->status == 200);
  auto complete = [&] {
    auto ev = hook.events();
    for (auto& id : ids)
      for (auto* status : {":sent", ":delivered", ":read"})
        if (!contains(ev, id + status))
          return false;
    return contains(ev, "15550009999:hello business");
  };
  CHECK_MESSAGE(c.wait(complete, 20s), c.logs());
  // The first two posts were refused with 500 and retried after the backoff.
  CHECK(hook.posts() >= 3);
  // Delivered callbacks are deleted after their post was answered, so the
  // last ones may still be there for a moment after the hook saw them.
  CHECK(c.wait([&] { return c.query("SELECT count(*) FROM callbacks") == "0"; },
               5s));
}
