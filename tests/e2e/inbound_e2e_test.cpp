#include <doctest/doctest.h>

#include <map>
#include <string>
#include <thread>

#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "runtime/inbound_payload.hpp"
#include "support/test_cluster.hpp"
#include "support/webhook_receiver.hpp"

using namespace mc;
using namespace mc::test;
using namespace std::chrono_literals;

namespace {

std::string compact(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  v.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

/// Every inbound message the hook got, by id, with the contact names seen
/// per wa_id; and every status as "id:status" -> its JSON.
struct hook_view {
  std::map<std::string, std::string> messages;
  std::map<std::string, std::string> names;
  std::map<std::string, std::string> statuses;
};

hook_view view(webhook_receiver& hook) {
  hook_view out;
  for (auto& body : hook.bodies()) {
    rapidjson::Document doc;
    doc.Parse(body.c_str());
    if (!doc.IsObject())
      continue;
    if (doc.HasMember("contacts"))
      for (auto& c : doc["contacts"].GetArray())
        out.names[c["wa_id"].GetString()] = c["profile"]["name"].GetString();
    if (doc.HasMember("messages"))
      for (auto& m : doc["messages"].GetArray())
        out.messages[m["id"].GetString()] = compact(m);
    if (doc.HasMember("statuses"))
      for (auto& s : doc["statuses"].GetArray())
        out.statuses[std::string{s["id"].GetString()} + ":"
                     + s["status"].GetString()]
          = compact(s);
  }
  return out;
}

} // namespace

TEST_CASE("inbound messages of every type reach the webhook, mark-as-read "
          "reaches the upstream, statuses carry their conversation") {
  webhook_receiver hook;
  test_cluster c{"e2e_inbound"};
  c.start_sim({"--sim-delivered-ms", "50", "--sim-read-ms", "100"});
  c.start("master", "m1");
  c.start("coreapp", "c1");
  c.start("coreapp", "c2");
  c.start_webapp();
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 20s), c.logs());
  auto token = wait_for_admin_token(c.http_port(), 10s);
  REQUIRE_FALSE(token.empty());
  httplib::Client api{"127.0.0.1", c.http_port()};
  httplib::Headers auth{{"Authorization", "Bearer " + token}};
  auto patch = api.Patch("/v1/settings/application", auth,
                         R"({"webhooks":{"url":")" + hook.url()
                           + R"("},"sent_status":true})",
                         "application/json");
  REQUIRE(patch);
  REQUIRE(patch->status == 200);
  std::this_thread::sleep_for(1500ms); // nodes pick settings up within 1 s
  httplib::Client sim{"127.0.0.1", c.sim_http_port()};
  for (auto& type : inbound_types()) {
    auto res = sim.Post("/inbound",
                        R"({"account":"default","from":"15550001000",)"
                        R"("name":"Kerry Fisher","id":"e2e-)"
                          + type + R"(","type":")" + type + R"("})",
                        "application/json");
    REQUIRE(res);
    REQUIRE(res->status == 200);
  }
  auto all_in = [&] {
    auto v = view(hook);
    for (auto& type : inbound_types())
      if (!v.messages.count("e2e-" + type))
        return false;
    return true;
  };
  REQUIRE_MESSAGE(c.wait(all_in, 20s), c.logs());
  auto v = view(hook);
  CHECK(v.names["15550001000"] == "Kerry Fisher");
  for (auto& type : inbound_types()) {
    rapidjson::Document m;
    m.Parse(v.messages["e2e-" + type].c_str());
    REQUIRE(m.IsObject());
    CHECK(std::string{m["type"].GetString()} == type);
    CHECK(std::string{m["from"].GetString()} == "15550001000");
    CHECK(m["timestamp"].IsString());
    auto body = type == "unknown" ? "errors" : type.c_str();
    CHECK_MESSAGE(m.HasMember(body), type);
    if (type == "image" || type == "audio" || type == "video"
        || type == "document" || type == "voice" || type == "sticker") {
      auto& media = m[type.c_str()];
      CHECK(media["id"].IsString());
      CHECK(media["mime_type"].IsString());
      CHECK(std::string{media["sha256"].GetString()}.size() == 64);
    }
    if (type == "document")
      CHECK(m["document"].HasMember("filename"));
    if (type == "interactive" || type == "button")
      CHECK(m.HasMember("context"));
    if (type == "unknown")
      CHECK(m["errors"][0]["code"].GetInt() == 501);
  }

  // Mark as read: routed by the sender's shard to the upstream.
  auto read = api.Put("/v1/messages/e2e-image", auth, R"({"status":"read"})",
                      "application/json");
  REQUIRE(read);
  CHECK_MESSAGE(read->status == 200, read->body);
  CHECK(read->body.find("\"meta\"") != std::string::npos);
  auto reads = sim.Get("/reads");
  REQUIRE(reads);
  rapidjson::Document rd;
  rd.Parse(reads->body.c_str());
  REQUIRE(rd.IsObject());
  REQUIRE(rd["reads"].Size() == 1);
  CHECK(std::string{rd["reads"][0]["message_id"].GetString()} == "e2e-image");
  CHECK(std::string{rd["reads"][0]["sender"].GetString()} == "15550001000");
  // An id no user sent, and a status other than read, are refused.
  auto unknown = api.Put("/v1/messages/no-such-id", auth,
                         R"({"status":"read"})", "application/json");
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  CHECK(unknown->body.find("1006") != std::string::npos);
  auto wrong = api.Put("/v1/messages/e2e-text", auth,
                       R"({"status":"delivered"})", "application/json");
  REQUIRE(wrong);
  CHECK(wrong->status == 400);
  CHECK(wrong->body.find("1009") != std::string::npos);
  reads = sim.Get("/reads");
  REQUIRE(reads);
  rd.Parse(reads->body.c_str());
  CHECK(rd["total"].GetUint64() == 1);

  // A reply to that user opens a user_initiated conversation: sent and
  // delivered carry it with CBP pricing, read carries none.
  auto sent = api.Post("/v1/messages", auth,
                       R"({"to":"15550001000","type":"text","text":{"body":"hi"}})",
                       "application/json");
  REQUIRE(sent);
  REQUIRE(sent->status == 201);
  rapidjson::Document sd;
  sd.Parse(sent->body.c_str());
  std::string id = sd["messages"][0]["id"].GetString();
  auto statuses_in = [&] {
    auto s = view(hook).statuses;
    return s.count(id + ":sent") && s.count(id + ":delivered")
           && s.count(id + ":read");
  };
  REQUIRE_MESSAGE(c.wait(statuses_in, 20s), c.logs());
  auto s = view(hook).statuses;
  rapidjson::Document st;
  st.Parse(s[id + ":sent"].c_str());
  REQUIRE(st.HasMember("conversation"));
  CHECK(std::string{st["conversation"]["id"].GetString()}.size() == 32);
  CHECK(std::string{st["conversation"]["origin"]["type"].GetString()}
        == "user_initiated");
  CHECK(st["conversation"]["expiration_timestamp"].IsString());
  CHECK(std::string{st["pricing"]["pricing_model"].GetString()} == "CBP");
  CHECK(st["pricing"]["billable"].GetBool());
  auto conversation = std::string{st["conversation"]["id"].GetString()};
  st.Parse(s[id + ":delivered"].c_str());
  REQUIRE(st.HasMember("conversation"));
  CHECK(std::string{st["conversation"]["id"].GetString()} == conversation);
  CHECK_FALSE(st["conversation"].HasMember("expiration_timestamp"));
  st.Parse(s[id + ":read"].c_str());
  CHECK_FALSE(st.HasMember("conversation"));
  CHECK_FALSE(st.HasMember("pricing"));
}
