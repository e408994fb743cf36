#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "runtime/shard_hash.hpp"
#include "support/cloud_bridge.hpp"
#include "support/downloading_hook.hpp"

using namespace mc;
using namespace mc::test;
using namespace std::chrono_literals;


TEST_CASE("cloud relay: On-Prem sends, statuses, inbound messages and "
          "mark-as-read go through the Cloud API unchanged") {
  cloud_bridge b{"e2e_cloud", 2, 1};
  // Sends: every one taken by the Cloud API once, every status back at
  // the On-Prem webhook under our id.
  std::vector<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    auto id = b.send_text("1555000" + std::to_string(1000 + i % 10),
                          "cloud-" + std::to_string(i));
    REQUIRE_MESSAGE(!id.empty(), b.c.logs());
    ids.push_back(id);
  }
  auto all_statuses = [&] {
    for (auto& id : ids)
      if (!b.hook.has(id + ":sent") || !b.hook.has(id + ":delivered")
          || !b.hook.has(id + ":read"))
        return false;
    return true;
  };
  REQUIRE_MESSAGE(b.c.wait(all_statuses, 30s), (b.c.logs() + b.sim->log()));
  auto bodies = b.sim_bodies();
  int twice = 0;
  for (int i = 0; i < 100; ++i) {
    auto n = bodies["cloud-" + std::to_string(i)];
    CHECK(n >= 1);
    twice += n > 1 ? 1 : 0;
  }
  MESSAGE("sends taken twice by the Cloud API: ", twice,
          "; webhook duplicates: ", b.hook.duplicates());
  CHECK(twice == 0);
  // The wamid is kept against our id.
  CHECK(b.c.query("SELECT count(*) FROM cloud_messages") == "100");

  // Inbound: from a phone user and from one who hides the number.
  REQUIRE(b.sim->control("/inbound",
                         R"({"from":"15550009999","name":"Ana","body":)"
                         R"("hello from cloud"})")
          == 200);
  REQUIRE(b.sim->control("/inbound",
                         R"({"hide_number":true,"user_id":"US.1234567890",)"
                         R"("body":"hidden hello"})")
          == 200);
  REQUIRE_MESSAGE(b.c.wait(
                    [&] {
                      return b.hook.has("15550009999:hello from cloud")
                             && b.hook.has("US.1234567890:hidden hello");
                    },
                    20s),
                  (b.c.logs() + b.sim->log()));

  // Mark-as-read of an inbound message reaches the Cloud API.
  auto inbound_id = b.c.query(
    "SELECT id FROM inbound_messages WHERE sender = '15550009999' LIMIT 1");
  REQUIRE_FALSE(inbound_id.empty());
  auto read = b.api().Put("/v1/messages/" + inbound_id, b.auth(),
                          R"({"status":"read"})", "application/json");
  REQUIRE(read);
  CHECK_MESSAGE(read->status == 200, read->body);
  auto reads = b.sim->query("/reads");
  REQUIRE(reads.IsObject());
  CHECK(reads["total"].GetUint64() == 1);

  // Meta's verification GET, and a post with a bad signature.
  REQUIRE(b.sim->control("/webhooks/verify", "{}") == 200);
  httplib::Client web{"127.0.0.1", b.c.http_port()};
  auto bad = web.Post("/v1/cloud/webhook",
                      {{"X-Hub-Signature-256", "sha256=00"}},
                      R"({"object":"whatsapp_business_account","entry":[]})",
                      "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 401);
  auto wrong = web.Get("/v1/cloud/webhook?hub.mode=subscribe&hub.verify_token"
                       "=nope&hub.challenge=42");
  REQUIRE(wrong);
  CHECK(wrong->status == 403);
  auto right = web.Get(std::string{"/v1/cloud/webhook?hub.mode=subscribe&"
                                   "hub.verify_token="}
                       + cloud_bridge::verify_token + "&hub.challenge=42");
  REQUIRE(right);
  CHECK(right->status == 200);
  CHECK(right->body == "42");
}

TEST_CASE("cloud relay: an expired token stops the sends without failing "
          "them, health says so, a new token resumes them") {
  cloud_bridge b{"e2e_cloud_token", 1, 1};
  REQUIRE(b.sim->control("/fault", R"({"token":"expire"})") == 200);
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i)
    ids.push_back(b.send_text("15550002000", "tok-" + std::to_string(i)));
  for (auto& id : ids)
    REQUIRE_FALSE(id.empty());
  auto expired = [&] {
    auto res = b.api().Get("/v1/health", b.auth());
    return res && res->body.find("token_expired") != std::string::npos;
  };
  REQUIRE_MESSAGE(b.c.wait(expired, 10s), b.c.logs());
  for (auto& id : ids) {
    CHECK_FALSE(b.hook.has(id + ":failed"));
    CHECK_FALSE(b.hook.has(id + ":sent"));
  }
  b.sim->set_token("EAA-fresh-token");
  auto delivered = [&] {
    for (auto& id : ids)
      if (!b.hook.has(id + ":delivered"))
        return false;
    return true;
  };
  REQUIRE_MESSAGE(b.c.wait(delivered, 20s), (b.c.logs() + b.sim->log()));
  CHECK(b.sim_bodies().size() == 10);
}

TEST_CASE("cloud relay: a permanent Cloud error ends the message failed in "
          "the On-Prem shape") {
  cloud_bridge b{"e2e_cloud_fail", 1, 1};
  REQUIRE(b.sim->control("/fault",
                         R"({"fail_sends":{"count":1,"http_status":400,)"
                         R"("code":131026,"details":"undeliverable"}})")
          == 200);
  auto id = b.send_text("15550003000", "doomed");
  REQUIRE_FALSE(id.empty());
  REQUIRE_MESSAGE(b.c.wait([&] { return b.hook.has(id + ":failed"); }, 20s),
                  (b.c.logs() + b.sim->log()));
  // The next message to the same user goes through.
  auto next = b.send_text("15550003000", "fine");
  REQUIRE(b.c.wait([&] { return b.hook.has(next + ":delivered"); }, 20s));
}

TEST_CASE("cloud relay: a media uploaded to /v1/media goes to the Cloud "
          "media endpoint and the message names the Cloud media id") {
  cloud_bridge b{"e2e_cloud_media", 1, 1};
  // A PNG signature and a little more: the store checks type and size.
  std::string image = "\x89PNG\r\n\x1a\n" + std::string(2000, 'p');
  auto up = b.api().Post("/v1/media", b.auth(), image, "image/png");
  REQUIRE(up);
  REQUIRE_MESSAGE(up->status == 201, up->body);
  rapidjson::Document d;
  d.Parse(up->body.c_str());
  std::string ours = d["media"][0]["id"].GetString();
  auto res = b.api().Post("/v1/messages", b.auth(),
                          R"({"to":"15550004000","type":"image","image":)"
                          R"({"id":")"
                            + ours + R"(","caption":"cloud pic"}})",
                          "application/json");
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 201, res->body);
  rapidjson::Document sent;
  sent.Parse(res->body.c_str());
  std::string id = sent["messages"][0]["id"].GetString();
  REQUIRE_MESSAGE(b.c.wait([&] { return b.hook.has(id + ":delivered"); },
                           20s),
                  (b.c.logs() + b.sim->log()));
  auto cloud_id = b.c.query("SELECT cloud_id FROM cloud_media WHERE id = '"
                            + ours + "'");
  REQUIRE_FALSE(cloud_id.empty());
  CHECK(cloud_id != ours);
  auto msgs = b.sim->query("/messages?from=0&limit=10");
  REQUIRE(msgs.IsObject());
  REQUIRE(msgs["messages"].Size() == 1);
  rapidjson::Document body;
  body.Parse(msgs["messages"][0]["body"].GetString());
  REQUIRE(body.IsObject());
  CHECK(std::string{body["image"]["id"].GetString()} == cloud_id);
  CHECK(std::string{body["image"]["caption"].GetString()} == "cloud pic");
  auto stats = b.sim->query("/stats");
  CHECK(stats["media"]["uploads"].GetUint64() == 1);
}

TEST_CASE("cloud relay: a user's picture arrives at the On-Prem webhook and "
          "downloads through /v1/media with the digest the webhook names") {
  cloud_bridge b{"e2e_cloud_inmedia", 1, 1};
  downloading_hook hook{b.c.http_port(), b.token};
  auto patch = b.api().Patch("/v1/settings/application", b.auth(),
                             R"({"webhooks":{"url":")" + hook.url()
                               + R"("}})",
                             "application/json");
  REQUIRE(patch);
  REQUIRE(patch->status == 200);
  std::this_thread::sleep_for(1500ms); // nodes pick settings up in 1 s
  REQUIRE(b.sim->control("/inbound",
                         R"({"from":"15550007000","type":"image"})")
          == 200);
  REQUIRE(b.sim->control("/inbound",
                         R"({"hide_number":true,"user_id":"US.777000111",)"
                         R"("type":"document"})")
          == 200);
  REQUIRE_MESSAGE(b.c.wait([&] { return hook.seen().size() == 2; }, 30s),
                  (b.c.logs() + b.sim->log()));
  std::map<std::string, std::string> types;
  for (auto& [id, s] : hook.seen()) {
    CAPTURE(id);
    types[s.type] = s.mime_type;
    CHECK(s.sha256.size() == 64);
    CHECK(s.get_status == 200);
    CHECK(s.got_sha256 == s.sha256);
    CHECK(s.got_type == s.mime_type);
  }
  CHECK(types["image"] == "image/jpeg");
  CHECK(types["document"] == "application/pdf");
  // Fetched from the Cloud API once, before the webhook went out.
  auto stats = b.sim->query("/stats");
  REQUIRE(stats.IsObject());
  CHECK(stats["media"]["downloads"].GetUint64() >= 2);
}

TEST_CASE("cloud relay: a status that comes before the wamid of its send is "
          "kept and reaches the webhook under our id once the wamid is "
          "recorded") {
  cloud_bridge b{"e2e_cloud_early", 1, 1};
  auto status_post = [&](const std::string& wamid, const std::string& what) {
    return R"({"object":"whatsapp_business_account","entry":[{"id":"1",)"
           R"("changes":[{"field":"messages","value":{"messaging_product":)"
           R"("whatsapp","metadata":{"display_phone_number":"15550000000",)"
           R"("phone_number_id":")"
           + test_cloud_sim::phone_number_id()
           + R"("},"statuses":[{"id":")" + wamid + R"(","status":")" + what
           + R"(","timestamp":"1764000000","recipient_id":"15550008000"}]}}]}]})";
  };
  auto waiting = [&] {
    auto res = b.api().Get("/v1/health", b.auth());
    rapidjson::Document d;
    if (!res || res->status != 200 || d.Parse(res->body.c_str()).HasParseError()
        || !d.HasMember("cloud"))
      return int64_t{-1};
    return d["cloud"]["waiting_statuses"].GetInt64();
  };
  // Meta is answered 200 at once: the status is kept, not asked for again.
  REQUIRE(b.post_cloud_webhook(status_post("wamid.early-1", "delivered"))
          == 200);
  REQUIRE(b.post_cloud_webhook(status_post("wamid.early-1", "read")) == 200);
  // Posted again (Meta retries what it thinks went astray): kept once.
  REQUIRE(b.post_cloud_webhook(status_post("wamid.early-1", "delivered"))
          == 200);
  CHECK(waiting() == 2);
  std::this_thread::sleep_for(1500ms);
  CHECK_FALSE(b.hook.has("our-early-1:delivered"));
  // The send's owner records the wamid (as after the Cloud API's answer).
  REQUIRE(b.c.execute("INSERT INTO cloud_messages (id, wamid, shard_id, recipient) "
                      "VALUES ('our-early-1', 'wamid.early-1', 0, "
                      "'15550008000')"));
  REQUIRE_MESSAGE(b.c.wait(
                    [&] {
                      return b.hook.has("our-early-1:delivered")
                             && b.hook.has("our-early-1:read");
                    },
                    10s),
                  b.c.logs());
  CHECK(b.c.wait([&] { return waiting() == 0; }, 5s));
  CHECK(b.hook.duplicates() == 0);
}

TEST_CASE("cloud relay: a user seen with number and BSUID keeps the shard of "
          "its number when addressed or heard of by the BSUID alone") {
  cloud_bridge b{"e2e_cloud_bsuid", 2, 2};
  const std::string phone = "15550006000";
  // A BSUID that alone would hash to the other shard.
  std::string user;
  for (int n = 100; user.empty(); ++n) {
    auto candidate = "US." + std::to_string(9000000 + n);
    if (shard_of(candidate, 2) != shard_of(phone, 2))
      user = candidate;
  }
  auto number_shard = std::to_string(shard_of(phone, 2));
  REQUIRE(b.sim->control("/inbound", R"({"from":")" + phone
                                       + R"(","user_id":")" + user
                                       + R"(","body":"both"})")
          == 200);
  REQUIRE_MESSAGE(b.c.wait([&] { return b.hook.has(phone + ":both"); }, 20s),
                  b.c.logs());
  CHECK(b.c.query("SELECT phone FROM cloud_users WHERE user_id = '" + user
                  + "'")
        == phone);
  // Addressed by the BSUID: committed on the number's shard.
  auto id = b.send_text(user, "to the bsuid");
  REQUIRE_FALSE(id.empty());
  CHECK(b.c.query("SELECT shard_id FROM messages WHERE id = '" + id + "'")
        == number_shard);
  REQUIRE_MESSAGE(b.c.wait([&] { return b.hook.has(id + ":delivered"); }, 20s),
                  (b.c.logs() + b.sim->log()));
  // The number hidden now: the inbound message stays on that shard too.
  REQUIRE(b.sim->control("/inbound", R"({"hide_number":true,"user_id":")"
                                       + user + R"(","body":"hidden"})")
          == 200);
  REQUIRE_MESSAGE(b.c.wait([&] { return b.hook.has(user + ":hidden"); }, 20s),
                  b.c.logs());
  CHECK(b.c.query("SELECT DISTINCT shard_id FROM inbound_messages WHERE "
                  "sender = '"
                  + user + "'")
        == number_shard);
}
