#include <doctest/doctest.h>

#include <map>
#include <mutex>
#include <thread>

#include <httplib.h>
#include <rapidjson/document.h>

#include "support/test_cluster.hpp"

using namespace mc::test;
using namespace std::chrono_literals;

namespace {

/// Records every status the webhook receives: id -> statuses in order,
/// and the first error code of a failed one.
class status_hook {
public:
  status_hook() {
    srv_.Post("/hook", [this](const httplib::Request& req,
                              httplib::Response& res) {
      rapidjson::Document doc;
      doc.Parse(req.body.c_str(), req.body.size());
      std::lock_guard<std::mutex> guard{mtx_};
      if (doc.IsObject() && doc.HasMember("statuses"))
        for (auto& s : doc["statuses"].GetArray()) {
          std::string id = s["id"].GetString();
          statuses_[id].push_back(s["status"].GetString());
          if (s.HasMember("errors")) {
            codes_[id] = s["errors"][0]["code"].GetInt();
            titles_[id] = s["errors"][0]["title"].GetString();
          }
        }
      res.status = 200;
    });
    port_ = srv_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread{[this] { srv_.listen_after_bind(); }};
    while (!srv_.is_running())
      std::this_thread::sleep_for(1ms);
  }

  ~status_hook() {
    srv_.stop();
    thread_.join();
  }

  int port() const { return port_; }

  bool has(const std::string& id, const std::string& status) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = statuses_.find(id);
    if (i == statuses_.end())
      return false;
    for (auto& s : i->second)
      if (s == status)
        return true;
    return false;
  }

  int error_code(const std::string& id) {
    std::lock_guard<std::mutex> guard{mtx_};
    return codes_.count(id) ? codes_[id] : 0;
  }

  std::string error_title(const std::string& id) {
    std::lock_guard<std::mutex> guard{mtx_};
    return titles_.count(id) ? titles_[id] : "";
  }

private:
  httplib::Server srv_;
  std::thread thread_;
  std::mutex mtx_;
  int port_ = 0;
  std::map<std::string, std::vector<std::string>> statuses_;
  std::map<std::string, int> codes_;
  std::map<std::string, std::string> titles_;
};

/// One message of each type, as the document the upstream must receive;
/// the request is the document plus "to" (written compact, "type" first,
/// so the expected bytes are the document itself).
const std::vector<std::string> documents = {
  R"({"type":"text","preview_url":true,"text":{"body":"hello https://example.com"}})",
  R"({"type":"template","template":{"namespace":"ns1","name":"order_update","language":{"policy":"deterministic","code":"en"},"components":[{"type":"header","parameters":[{"type":"image","image":{"link":"https://cdn.example.com/h.png"}}]},{"type":"body","parameters":[{"type":"text","text":"Ann"},{"type":"currency","currency":{"fallback_value":"$10.99","code":"USD","amount_1000":10990}},{"type":"date_time","date_time":{"fallback_value":"May 1, 2026"}}]},{"type":"button","sub_type":"quick_reply","index":0,"parameters":[{"type":"payload","payload":"track"}]}]}})",
  R"({"type":"hsm","hsm":{"namespace":"ns1","element_name":"hello","language":{"policy":"deterministic","code":"en"},"localizable_params":[{"default":"Ann"}]}})",
  R"({"type":"image","image":{"link":"https://cdn.example.com/a.jpg","caption":"a picture"}})",
  R"({"type":"audio","audio":{"id":"f043afd0-audio"}})",
  R"({"type":"video","video":{"id":"f043afd0-video","caption":"v"}})",
  R"({"type":"document","document":{"link":"https://cdn.example.com/r.pdf","filename":"r.pdf"}})",
  R"({"type":"sticker","sticker":{"id":"sticker-1"}})",
  R"({"type":"location","location":{"longitude":-122.425332,"latitude":37.758056,"name":"HQ","address":"1 Hacker Way"}})",
  R"({"type":"contacts","contacts":[{"name":{"formatted_name":"John Smith","first_name":"John"},"phones":[{"phone":"+1 (650) 555-1234","type":"WORK","wa_id":"16505551234"}],"birthday":"2012-08-18"}]})",
  R"({"type":"interactive","interactive":{"type":"list","body":{"text":"pick"},"action":{"button":"Options","sections":[{"title":"s","rows":[{"id":"r1","title":"One"}]}]}}})",
  R"({"type":"interactive","interactive":{"type":"button","body":{"text":"ok?"},"action":{"buttons":[{"type":"reply","reply":{"id":"y","title":"Yes"}},{"type":"reply","reply":{"id":"n","title":"No"}}]}}})",
  R"({"type":"reaction","reaction":{"message_id":"gBGGFlA5FpafAgkOuJbRq54qwbM","emoji":"❤"},"context":{"message_id":"gBGGFlA5FpafAgkOuJbRq54qwbM"}})",
};

std::string with_to(const std::string& doc, const std::string& to) {
  return doc.substr(0, doc.size() - 1) + R"(,"to":")" + to + "\"}";
}

} // namespace

TEST_CASE("every message type reaches the upstream intact and gets its "
          "statuses, and a template the servers refuse fails with errors") {
  status_hook hook;
  test_cluster c{"e2e_types"};
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
                         R"({"webhooks":{"url":"http://127.0.0.1:)"
                           + std::to_string(hook.port()) + R"(/hook"}})",
                         "application/json");
  REQUIRE(patch);
  REQUIRE(patch->status == 200);
  httplib::Client sim{"127.0.0.1", c.sim_http_port()};
  auto reg = sim.Post("/templates",
                      R"({"namespace":"ns1","name":"order_update","languages":["en"],)"
                      R"("params":{"header":1,"body":3,"button":1}})",
                      "application/json");
  REQUIRE(reg);
  REQUIRE(reg->status == 200);
  reg = sim.Post("/templates",
                 R"({"namespace":"ns1","name":"hello","languages":["en"],"params":{"body":1}})",
                 "application/json");
  REQUIRE(reg->status == 200);
  // Nodes pick the webhook up within a second.
  std::this_thread::sleep_for(1500ms);

  // Media sent by id must exist: upload one per kind and put its id into
  // the documents (the placeholders below), as a client does.
  auto upload = [&](const std::string& mime, const std::string& bytes) {
    auto res = api.Post("/v1/media", auth, bytes, mime.c_str());
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 201, res->body);
    rapidjson::Document doc;
    doc.Parse(res->body.c_str());
    REQUIRE(doc.HasMember("media"));
    return std::string{doc["media"][0]["id"].GetString()};
  };
  std::map<std::string, std::string> media_ids = {
    {"f043afd0-audio", upload("audio/mpeg", std::string(2000, 'a'))},
    {"f043afd0-video", upload("video/mp4", std::string(3000, 'v'))},
    {"sticker-1", upload("image/webp", std::string("RIFF\x20\0\0\0WEBPVP8 ", 16)
                                        + std::string(20, 's'))},
  };
  std::vector<std::string> sent_documents;
  for (auto doc : documents) {
    for (auto& [placeholder, id] : media_ids) {
      auto at = doc.find(placeholder);
      if (at != std::string::npos)
        doc.replace(at, placeholder.size(), id);
    }
    sent_documents.push_back(std::move(doc));
  }

  auto send = [&](const std::string& path, const std::string& body) {
    auto res = api.Post(path, auth, body, "application/json");
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 201, res->body);
    rapidjson::Document doc;
    doc.Parse(res->body.c_str());
    return std::string{doc["messages"][0]["id"].GetString()};
  };
  std::map<std::string, std::string> sent; // id -> document
  for (size_t i = 0; i < sent_documents.size(); ++i) {
    // The trailing-slash form of the route is the same route.
    auto path = i % 2 == 0 ? "/v1/messages" : "/v1/messages/";
    sent[send(path, with_to(sent_documents[i], "1555000030" + std::to_string(i % 10)))]
      = sent_documents[i];
  }
  // The servers refuse these after accepting them: a wrong parameter count
  // and a template that was never registered.
  auto mismatch = send("/v1/messages", with_to(
    R"({"type":"template","template":{"namespace":"ns1","name":"hello","language":{"policy":"deterministic","code":"en"}}})",
    "15550000400"));
  auto missing = send("/v1/messages", with_to(
    R"({"type":"template","template":{"namespace":"ns1","name":"nope","language":{"policy":"deterministic","code":"en"}}})",
    "15550000401"));

  // Every message reached the upstream with its document byte for byte.
  std::map<std::string, std::string> received;
  auto all_received = [&] {
    auto res = sim.Get("/messages?limit=100");
    if (!res || res->status != 200)
      return false;
    rapidjson::Document doc;
    doc.Parse(res->body.c_str());
    if (!doc.IsObject())
      return false;
    received.clear();
    for (auto& m : doc["messages"].GetArray())
      received[m["id"].GetString()] = m["payload"].GetString();
    return received.size() == sent.size() + 2;
  };
  REQUIRE_MESSAGE(c.wait(all_received, 20s), c.logs());
  for (auto& [id, document] : sent) {
    CAPTURE(document);
    CHECK(received[id] == document);
  }
  // Each valid message is delivered and read; the refused ones fail with
  // the template errors in the On-Prem shape.
  auto statuses_done = [&] {
    for (auto& kv : sent)
      if (!hook.has(kv.first, "delivered") || !hook.has(kv.first, "read"))
        return false;
    return hook.has(mismatch, "failed") && hook.has(missing, "failed");
  };
  CHECK_MESSAGE(c.wait(statuses_done, 20s), c.logs());
  CHECK(hook.error_code(mismatch) == 2000);
  CHECK(hook.error_title(mismatch) == "Template Param Count Mismatch");
  CHECK(hook.error_code(missing) == 2001);
  CHECK(hook.error_title(missing) == "Template Missing");
  CHECK_FALSE(hook.has(mismatch, "delivered"));
  // An invalid request is refused up front with the reference's code.
  auto bad = api.Post("/v1/messages", auth,
                      R"({"to":"1555","type":"image","image":{"id":"a","link":"https://x/y"}})",
                      "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(bad->body.find("\"code\":1009") != std::string::npos);
}
