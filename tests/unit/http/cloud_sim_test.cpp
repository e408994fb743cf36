// The Cloud API simulator's plain objects: limits, send checks, the
// ledger, the webhook envelope and signature.
#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include "http/cloud_sim/cloud_send_request.hpp"
#include "http/cloud_sim/cloud_sim_ledger.hpp"
#include "http/cloud_sim/cloud_sim_limits.hpp"
#include "http/cloud_sim/cloud_webhook_envelope.hpp"

using namespace mc;
using namespace std::chrono_literals;

TEST_CASE("cloud_sim_limits: the number's bucket refills at the throughput") {
  cloud_sim_limits limits{10, 2, 600, 100};
  auto t = cloud_sim_limits::clock::now();
  CHECK(limits.admit("a", t) == cloud_limit_verdict::ok);
  CHECK(limits.admit("b", t) == cloud_limit_verdict::ok);
  CHECK(limits.admit("c", t) == cloud_limit_verdict::throughput);
  // 10 per second: one more token after 100 ms.
  CHECK(limits.admit("c", t + 100ms) == cloud_limit_verdict::ok);
  CHECK(limits.admit("d", t + 100ms) == cloud_limit_verdict::throughput);
}

TEST_CASE("cloud_sim_limits: the pair bucket limits one recipient only, and "
          "a refusal takes no token") {
  cloud_sim_limits limits{1000, 1000, 10, 2};
  auto t = cloud_sim_limits::clock::now();
  CHECK(limits.admit("a", t) == cloud_limit_verdict::ok);
  CHECK(limits.admit("a", t) == cloud_limit_verdict::ok);
  CHECK(limits.admit("a", t) == cloud_limit_verdict::pair);
  CHECK(limits.admit("b", t) == cloud_limit_verdict::ok);
  // 10 per minute: one token every 6 s.
  CHECK(limits.admit("a", t + 5s) == cloud_limit_verdict::pair);
  CHECK(limits.admit("a", t + 6s) == cloud_limit_verdict::ok);
}

TEST_CASE("parse_cloud_send: phone and BSUID recipients, mark-as-read, "
          "and the reference's codes") {
  auto s = parse_cloud_send(
    R"({"messaging_product":"whatsapp","to":"+1 (631) 555-0001",)"
    R"("text":{"body":"hi"}})");
  REQUIRE(std::holds_alternative<cloud_send>(s));
  auto& send = std::get<cloud_send>(s);
  CHECK(send.recipient == "16315550001");
  CHECK(send.type == "text"); // the default type
  CHECK(send.content_key == R"({"text":{"body":"hi"}})");
  auto b = parse_cloud_send(R"({"messaging_product":"whatsapp",)"
                            R"("recipient":"US.ENT.11815799212886844830",)"
                            R"("type":"reaction","reaction":)"
                            R"({"message_id":"wamid.x","emoji":"x"}})");
  REQUIRE(std::holds_alternative<cloud_send>(b));
  CHECK(std::get<cloud_send>(b).by_user_id);
  auto r = parse_cloud_send(R"({"messaging_product":"whatsapp",)"
                            R"("status":"read","message_id":"wamid.abc"})");
  REQUIRE(std::holds_alternative<cloud_mark_read>(r));
  CHECK(std::get<cloud_mark_read>(r).message_id == "wamid.abc");
  auto code = [](const char* body) {
    auto p = parse_cloud_send(body);
    auto e = std::get_if<cloud_graph_error>(&p);
    return e ? e->code : 0;
  };
  CHECK(code("[]") == 100);
  CHECK(code(R"({"messaging_product":"sms","to":"16315550001"})") == 100);
  CHECK(code(R"({"messaging_product":"whatsapp","to":"abc"})") == 100);
  CHECK(code(R"({"messaging_product":"whatsapp","recipient":"16315550001"})")
        == 100);
  CHECK(code(R"({"messaging_product":"whatsapp","to":"16315550001",)"
             R"("type":"image","image":{}})")
        == 131008);
  CHECK(code(R"({"messaging_product":"whatsapp","to":"16315550001",)"
             R"("type":"template","template":{"name":"t"}})")
        == 131008);
  CHECK(code(R"({"messaging_product":"whatsapp","to":"16315550001",)"
             R"("type":"location","location":{"latitude":1}})")
        == 131008);
  CHECK(is_bsuid("US.13491208655302741918"));
  CHECK_FALSE(is_bsuid("us.1349"));
  CHECK_FALSE(is_bsuid("US."));
  CHECK_FALSE(is_bsuid("16315550001"));
}

TEST_CASE("cloud_sim_ledger: duplicates by recipient and content, and the "
          "ring forgets the oldest") {
  cloud_sim_ledger ledger{2};
  auto make = [](const std::string& to) {
    cloud_sent_message m;
    m.wamid = cloud_sim_ledger::make_wamid(to);
    m.recipient = to;
    return m;
  };
  auto a = ledger.record_send(make("1"), "k");
  CHECK_FALSE(a.duplicate);
  CHECK(ledger.record_send(make("1"), "k").duplicate);
  CHECK_FALSE(ledger.record_send(make("2"), "k").duplicate);
  CHECK(ledger.counts().duplicates == 1);
  CHECK_FALSE(ledger.find(a.wamid)); // evicted
  CHECK(ledger.list(0, 10).size() == 2);
  CHECK(a.wamid != make("1").wamid);
}

TEST_CASE("cloud_webhook_envelope: the envelope and the X-Hub-Signature-256") {
  // RFC 4231-style known answer (HMAC-SHA256, key "key").
  CHECK(cloud_webhook_envelope::signature(
          "key", "The quick brown fox jumps over the lazy dog")
        == "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2"
           "d1a3cd8");
  cloud_sim_config cfg;
  cloud_webhook_envelope envelope{cfg};
  cloud_webhook_event e;
  e.object = R"({"id":"wamid.x","status":"sent"})";
  auto body = envelope.body({e, e});
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  CHECK(std::string{doc["object"].GetString()} == "whatsapp_business_account");
  auto& change = doc["entry"][0]["changes"][0];
  CHECK(std::string{change["field"].GetString()} == "messages");
  CHECK(change["value"]["statuses"].Size() == 2);
  CHECK(std::string{change["value"]["metadata"]["phone_number_id"]
                      .GetString()}
        == cfg.phone_number_id);
}
