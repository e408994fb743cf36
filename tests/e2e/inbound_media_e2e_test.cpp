#include <doctest/doctest.h>

#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <httplib.h>
#include <rapidjson/document.h>

#include "runtime/sha256.hpp"
#include "support/test_cluster.hpp"

using namespace mc::test;
using namespace std::chrono_literals;

namespace {

/// What the consumer saw of one inbound media message: the webhook's
/// media fields, and the answer of GET /v1/media/{id} made from inside the
/// webhook handler, i.e. right after the webhook arrived.
struct seen_media {
  std::string type;
  std::string media_id;
  std::string mime_type;
  std::string sha256;
  int get_status = 0;
  std::string got_type;
  std::string got_sha256;
};

/// A webhook consumer that downloads each inbound media as it is told of it.
class downloading_hook {
public:
  downloading_hook(int api_port, std::string token)
    : api_port_(api_port), token_(std::move(token)) {
    srv_.Post("/hook", [this](const httplib::Request& req,
                              httplib::Response& res) {
      on_hook(req.body);
      res.status = 200;
    });
    port_ = srv_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread{[this] { srv_.listen_after_bind(); }};
    while (!srv_.is_running())
      std::this_thread::sleep_for(1ms);
  }

  ~downloading_hook() {
    srv_.stop();
    thread_.join();
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/hook";
  }

  std::map<std::string, seen_media> seen() {
    std::lock_guard<std::mutex> guard{mtx_};
    return seen_;
  }

private:
  void on_hook(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.c_str());
    if (!doc.IsObject() || !doc.HasMember("messages"))
      return;
    for (auto& m : doc["messages"].GetArray()) {
      seen_media s;
      s.type = m["type"].GetString();
      if (!m.HasMember(s.type.c_str()) || !m[s.type.c_str()].IsObject()
          || !m[s.type.c_str()].HasMember("id"))
        continue;
      auto& media = m[s.type.c_str()];
      s.media_id = media["id"].GetString();
      if (media.HasMember("mime_type"))
        s.mime_type = media["mime_type"].GetString();
      if (media.HasMember("sha256"))
        s.sha256 = media["sha256"].GetString();
      httplib::Client api{"127.0.0.1", api_port_};
      auto got = api.Get(("/v1/media/" + s.media_id).c_str(),
                         {{"Authorization", "Bearer " + token_}});
      if (got) {
        s.get_status = got->status;
        s.got_type = got->get_header_value("Content-Type");
        s.got_sha256 = mc::sha256_hex(got->body);
      }
      std::lock_guard<std::mutex> guard{mtx_};
      seen_[m["id"].GetString()] = s;
    }
  }

  int api_port_;
  std::string token_;
  httplib::Server srv_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mtx_;
  std::map<std::string, seen_media> seen_;
};

} // namespace

TEST_CASE("inbound media: the webhook consumer downloads a user's picture by "
          "its id at once, with the digest the webhook names") {
  test_cluster c{"e2e_inbound_media"};
  c.start_sim();
  c.start("master", "m1");
  c.start("coreapp", "c1");
  c.start_webapp();
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 20s), c.logs());
  auto token = wait_for_admin_token(c.http_port(), 10s);
  REQUIRE_FALSE(token.empty());
  downloading_hook hook{c.http_port(), token};
  httplib::Client api{"127.0.0.1", c.http_port()};
  httplib::Headers auth{{"Authorization", "Bearer " + token}};
  auto patch = api.Patch("/v1/settings/application", auth,
                         R"({"webhooks":{"url":")" + hook.url() + R"("}})",
                         "application/json");
  REQUIRE(patch);
  REQUIRE(patch->status == 200);
  std::this_thread::sleep_for(1500ms); // nodes pick settings up within 1 s

  httplib::Client sim{"127.0.0.1", c.sim_http_port()};
  auto inject = [&](const std::string& fields) {
    auto res = sim.Post("/inbound",
                        R"({"account":"default","from":"15550002000",)"
                          + fields + "}",
                        "application/json");
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
  };
  inject(R"("id":"in-image","type":"image")");
  inject(R"("id":"in-document","type":"document")");
  // A media the upstream does not hold: the message still reaches the hook.
  inject(R"("id":"in-lost","message":{"type":"image","image":)"
         R"({"id":"no-such-media","mime_type":"image/png","sha256":"00"}})");
  auto all_in = [&] { return hook.seen().size() == 3; };
  REQUIRE_MESSAGE(c.wait(all_in, 30s), c.logs());
  auto seen = hook.seen();
  for (auto id : {"in-image", "in-document"}) {
    auto& s = seen[id];
    CAPTURE(id);
    CHECK(s.sha256.size() == 64);
    CHECK(s.get_status == 200);
    CHECK(s.got_sha256 == s.sha256);
    CHECK(s.got_type == s.mime_type);
  }
  CHECK(seen["in-image"].mime_type == "image/jpeg");
  CHECK(seen["in-document"].mime_type == "application/pdf");
  // The store holds them as received media, for every webapp.
  CHECK(c.query("SELECT count(*) FROM media WHERE id IN ('"
                + seen["in-image"].media_id + "','"
                + seen["in-document"].media_id + "')")
        == "2");
  CHECK(seen["in-lost"].get_status == 404);
}
