// The Cloud API simulator (role cloud-sim) as a process on loopback: sends
// and their signed status webhooks, the token, the limits, media,
// mark-as-read, webhook retries, faults and inbound injection.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <thread>
#include <unistd.h>

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <rapidjson/document.h>

#include "support/test_cloud_sim.hpp"
#include "support/test_cluster.hpp"
#include "support/webhook_receiver.hpp"

using namespace mc::test;
using namespace std::chrono_literals;

namespace {

std::string hmac_hex(const std::string& key, const std::string& body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac,
       &len);
  static const char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[mac[i] >> 4];
    out += hex[mac[i] & 15];
  }
  return out;
}

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  if (doc.HasParseError())
    doc.SetObject();
  return doc;
}

/// The change value of a webhook body.
const rapidjson::Value& value_of(const rapidjson::Document& doc) {
  return doc["entry"][0]["changes"][0]["value"];
}

/// "wamid:status" of every status the receiver got, in arrival order.
std::vector<std::string> statuses(webhook_receiver& hook) {
  std::vector<std::string> out;
  for (auto& body : hook.bodies()) {
    auto doc = parse(body);
    if (!doc.HasMember("entry"))
      continue;
    auto& v = value_of(doc);
    if (!v.HasMember("statuses"))
      continue;
    for (auto& s : v["statuses"].GetArray())
      out.push_back(std::string{s["id"].GetString()} + ":"
                    + s["status"].GetString());
  }
  return out;
}

size_t count_of(const std::vector<std::string>& xs, const std::string& x) {
  return static_cast<size_t>(std::count(xs.begin(), xs.end(), x));
}

std::string text_to(const std::string& to, const std::string& body) {
  return R"({"messaging_product":"whatsapp","recipient_type":"individual",)"
         R"("to":")" + to + R"(","type":"text","text":{"body":")" + body
         + R"("}})";
}

/// The wamid of a 200 send answer, "" otherwise.
std::string wamid_of(const httplib::Result& res) {
  if (!res || res->status != 200)
    return {};
  auto doc = parse(res->body);
  if (!doc.HasMember("messages"))
    return {};
  return doc["messages"][0]["id"].GetString();
}

/// The Cloud error code of an answer, 0 if none.
int code_of(const httplib::Result& res) {
  if (!res)
    return 0;
  auto doc = parse(res->body);
  if (!doc.HasMember("error") || !doc["error"].HasMember("code"))
    return 0;
  return doc["error"]["code"].GetInt();
}

uint64_t stat(test_cloud_sim& sim, const char* a, const char* b = nullptr) {
  auto doc = sim.query("/stats");
  if (!doc.HasMember(a))
    return 0;
  const rapidjson::Value* v = &doc[a];
  if (b) {
    if (!v->IsObject() || !v->HasMember(b))
      return 0;
    v = &(*v)[b];
  }
  return v->IsUint64() ? v->GetUint64() : 0;
}

std::vector<std::string> hook_flags(webhook_receiver& hook,
                                    std::vector<std::string> extra = {}) {
  std::vector<std::string> f{"--cloud-sim-webhook", hook.url()};
  f.insert(f.end(), extra.begin(), extra.end());
  return f;
}

} // namespace

TEST_CASE("cloud-sim: a send gets a wamid and sent, delivered and read "
          "statuses at the webhook, each signed with the app secret") {
  webhook_receiver hook;
  test_cloud_sim sim{"cs-send", hook_flags(hook, {"--cloud-sim-delivered-ms",
                                                  "100", "--cloud-sim-read-ms",
                                                  "200"})};
  REQUIRE_MESSAGE(sim.wait_ready(10s), sim.log());
  auto res = sim.send(text_to("+1 631-555-0001", "hello"));
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 200, res->body);
  auto answer = parse(res->body);
  CHECK(std::string{answer["messaging_product"].GetString()} == "whatsapp");
  CHECK(std::string{answer["contacts"][0]["input"].GetString()}
        == "+1 631-555-0001");
  CHECK(std::string{answer["contacts"][0]["wa_id"].GetString()}
        == "16315550001");
  auto wamid = wamid_of(res);
  CHECK(wamid.rfind("wamid.", 0) == 0);

  REQUIRE_MESSAGE(eventually([&] { return statuses(hook).size() >= 3; }, 10s),
                  sim.log());
  auto got = statuses(hook);
  REQUIRE(got.size() == 3);
  CHECK(got[0] == wamid + ":sent");
  CHECK(got[1] == wamid + ":delivered");
  CHECK(got[2] == wamid + ":read");
  auto bodies = hook.bodies();
  auto sigs = hook.signatures();
  REQUIRE(bodies.size() == sigs.size());
  for (size_t i = 0; i < bodies.size(); ++i)
    CHECK(sigs[i] == "sha256=" + hmac_hex(sim.app_secret(), bodies[i]));
  // The envelope and the pricing of the reference.
  auto first = parse(bodies[0]);
  CHECK(std::string{first["object"].GetString()}
        == "whatsapp_business_account");
  CHECK(std::string{first["entry"][0]["changes"][0]["field"].GetString()}
        == "messages");
  auto& v = value_of(first);
  CHECK(std::string{v["metadata"]["phone_number_id"].GetString()}
        == test_cloud_sim::phone_number_id());
  auto& sent = v["statuses"][0];
  CHECK(std::string{sent["recipient_id"].GetString()} == "16315550001");
  CHECK(sent.HasMember("conversation"));
  CHECK(sent["conversation"].HasMember("expiration_timestamp"));
  CHECK(std::string{sent["pricing"]["category"].GetString()} == "service");
  auto last = parse(bodies.back());
  CHECK_FALSE(value_of(last)["statuses"][0].HasMember("pricing"));

  // The ledger has it, with the body as sent.
  auto m = sim.query("/messages/" + wamid);
  REQUIRE(m.HasMember("body"));
  CHECK(std::string{m["recipient"].GetString()} == "16315550001");
  CHECK(std::string{m["body"].GetString()}
        == text_to("+1 631-555-0001", "hello"));
  CHECK(stat(sim, "accepted") == 1);
}

TEST_CASE("cloud-sim: a BSUID recipient is answered by user_id and its "
          "statuses name recipient_user_id") {
  webhook_receiver hook;
  test_cloud_sim sim{"cs-bsuid",
                     hook_flags(hook, {"--cloud-sim-read-ms", "0"})};
  REQUIRE_MESSAGE(sim.wait_ready(10s), sim.log());
  auto res = sim.send(R"({"messaging_product":"whatsapp",)"
                      R"("recipient":"US.13491208655302741918",)"
                      R"("type":"text","text":{"body":"hi"}})");
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 200, res->body);
  auto answer = parse(res->body);
  CHECK(std::string{answer["contacts"][0]["user_id"].GetString()}
        == "US.13491208655302741918");
  CHECK_FALSE(answer["contacts"][0].HasMember("wa_id"));
  REQUIRE(eventually([&] { return statuses(hook).size() >= 2; }, 10s));
  auto first = parse(hook.bodies()[0]);
  auto& s = value_of(first)["statuses"][0];
  CHECK(std::string{s["recipient_user_id"].GetString()}
        == "US.13491208655302741918");
  CHECK_FALSE(s.HasMember("recipient_id"));
  // read 0 = never: only sent and delivered.
  std::this_thread::sleep_for(300ms);
  CHECK(statuses(hook).size() == 2);
}

TEST_CASE("cloud-sim: a missing, wrong or expired token answers 401 with "
          "code 190; a new token file ends the expiry") {
  test_cloud_sim sim{"cs-token"};
  REQUIRE_MESSAGE(sim.wait_ready(10s), sim.log());
  httplib::Client anon{"127.0.0.1", sim.port()};
  auto res = anon.Post(test_cloud_sim::messages_path().c_str(),
                       text_to("16315550001", "x"), "application/json");
  REQUIRE(res);
  CHECK(res->status == 401);
  CHECK(code_of(res) == 190);
  auto doc = parse(res->body);
  CHECK(std::string{doc["error"]["type"].GetString()} == "OAuthException");
  CHECK(std::string{doc["error"]["error_data"]["messaging_product"]
                      .GetString()}
        == "whatsapp");
  CHECK(doc["error"].HasMember("fbtrace_id"));
  anon.set_bearer_token_auth("wrong");
  res = anon.Post(test_cloud_sim::messages_path().c_str(),
                  text_to("16315550001", "x"), "application/json");
  REQUIRE(res);
  CHECK(res->status == 401);
  CHECK(code_of(res) == 190);

  CHECK(sim.send(text_to("16315550001", "x"))->status == 200);
  REQUIRE(sim.control("/fault", R"({"token":"expire"})") == 200);
  res = sim.send(text_to("16315550001", "y"));
  REQUIRE(res);
  CHECK(res->status == 401);
  CHECK(code_of(res) == 190);
  auto old_token = sim.token();
  sim.set_token("EAAfreshtoken");
  REQUIRE(eventually([&] {
    return sim.send(text_to("16315550001", "z"))->status == 200;
  }, 5s));
  anon.set_bearer_token_auth(old_token.c_str());
  CHECK(anon.Post(test_cloud_sim::messages_path().c_str(),
                  text_to("16315550001", "w"), "application/json")
          ->status
        == 401);
  // An unknown phone number id is an unknown Graph object.
  res = sim.graph()->Post("/v19.0/999/messages", text_to("16315550001", "x"),
                          "application/json");
  REQUIRE(res);
  CHECK(res->status == 400);
  CHECK(code_of(res) == 100);
  CHECK(stat(sim, "refused", "190") >= 3);
}

TEST_CASE("cloud-sim: the body is checked as the reference does") {
  test_cloud_sim sim{"cs-validate"};
  REQUIRE_MESSAGE(sim.wait_ready(10s), sim.log());
  auto res = sim.send(
    R"({"to":"16315550001","type":"text","text":{"body":"x"}})");
  CHECK(res->status == 400);
  CHECK(code_of(res) == 100); // messaging_product missing
  res = sim.send(R"({"messaging_product":"whatsapp","to":"16315550001",)"
                 R"("type":"carrier_pigeon","carrier_pigeon":{}})");
  CHECK(res->status == 400);
  CHECK(code_of(res) == 100);
  res = sim.send(R"({"messaging_product":"whatsapp","to":"16315550001",)"
                 R"("type":"text","text":{}})");
  CHECK(res->status == 400);
  CHECK(code_of(res) == 131008);
  res = sim.send(R"({"messaging_product":"whatsapp","type":"text",)"
                 R"("text":{"body":"x"}})");
  CHECK(code_of(res) == 100); // no to
  // Templates: any name while none is registered, then only those.
  auto tmpl = R"({"messaging_product":"whatsapp","to":"16315550001",)"
              R"("type":"template","template":{"name":"order_update",)"
              R"("language":{"code":"en_US"}}})";
  res = sim.send(tmpl);
  REQUIRE(res->status == 200);
  CHECK(std::string{parse(res->body)["messages"][0]["message_status"]
                      .GetString()}
        == "accepted");
  REQUIRE(sim.control("/templates", R"({"name":"hello_world"})") == 200);
  res = sim.send(tmpl);
  CHECK(res->status == 404);
  CHECK(code_of(res) == 132001);
  // The same content to the same recipient twice is a duplicate.
  CHECK(sim.send(text_to("16315550002", "same"))->status == 200);
  CHECK(sim.send(text_to("+16315550002", "same"))->status == 200);
  CHECK(stat(sim, "duplicates") == 1);
  auto ms = sim.query("/messages?recipient=16315550002");
  REQUIRE(ms["messages"].Size() == 2);
  CHECK_FALSE(ms["messages"][0]["duplicate"].GetBool());
  CHECK(ms["messages"][1]["duplicate"].GetBool());
}

TEST_CASE("cloud-sim: a burst beyond the throughput answers 130429") {
  test_cloud_sim sim{"cs-mps", {"--cloud-mps", "5", "--cloud-mps-burst", "5"}};
  REQUIRE_MESSAGE(sim.wait_ready(10s), sim.log());
  auto cli = sim.graph();
  int ok = 0;
  int limited = 0;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) {
    auto res = cli->Post(test_cloud_sim::messages_path().c_str(),
                         text_to("1631555" + std::to_string(1000 + i), "b"),
                         "application/json");
    REQUIRE(res);
    if (res->status == 200)
      ++ok;
    else if (res->status == 400 && code_of(res) == 130429)
      ++limited;
  }
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  CHECK(ok + limited == 20);
  CHECK(ok >= 5);
  CHECK(ok <= 5 + static_cast<int>(took.count() * 5) + 1);
  CHECK(limited > 0);
  CHECK(stat(sim, "refused", "130429") == static_cast<uint64_t>(limited));
}

TEST_CASE("cloud-sim: more than the pair rate to one recipient answers "
          "131056, another recipient is not limited") {
  test_cloud_sim sim{"cs-pair", {"--cloud-sim-pair-per-min", "10",
                                 "--cloud-sim-pair-burst", "3"}};
  REQUIRE_MESSAGE(sim.wait_ready(10s), sim.log());
  for (int i = 0; i < 3; ++i)
    CHECK(sim.send(text_to("16315550001", "p" + std::to_string(i)))->status
          == 200);
  auto res = sim.send(text_to("16315550001", "p3"));
  REQUIRE(res);
  CHECK(res->status == 400);
  CHECK(code_of(res) == 131056);
  CHECK(sim.send(text_to("16315550009", "other"))->status == 200);
}

TEST_CASE("cloud-sim: media upload, retrieval, download and delete") {
  test_cloud_sim sim{"cs-media"};
  REQUIRE_MESSAGE(sim.wait_ready(10s), sim.log());
  auto cli = sim.graph();
  std::string bytes = "\x89PNG fake image bytes";
  httplib::MultipartFormDataItems items{
    {"messaging_product", "whatsapp", "", ""},
    {"type", "image/png", "", ""},
    {"file", bytes, "a.png", "image/png"}};
  auto res = cli->Post(("/v19.0/" + test_cloud_sim::phone_number_id()
                        + "/media").c_str(),
                       items);
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 200, res->body);
  std::string id = parse(res->body)["id"].GetString();
  res = cli->Get(("/v19.0/" + id).c_str());
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 200, res->body);
  auto info = parse(res->body);
  CHECK(std::string{info["mime_type"].GetString()} == "image/png");
  CHECK(info["file_size"].GetUint64() == bytes.size());
  CHECK(std::string{info["id"].GetString()} == id);
  CHECK(std::string{info["sha256"].GetString()}.size() == 64);
  std::string url = info["url"].GetString();
  auto path = url.substr(url.find("/media-download/"));
  res = cli->Get(path.c_str());
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body == bytes);
  httplib::Client anon{"127.0.0.1", sim.port()};
  CHECK(anon.Get(path.c_str())->status == 401);
  // A message names media by id: it must exist.
  auto send_image = [&](const std::string& media) {
    return sim.send(R"({"messaging_product":"whatsapp","to":"16315550001",)"
                    R"("type":"image","image":{"id":")" + media + R"("}})");
  };
  CHECK(send_image(id)->status == 200);
  res = send_image("1234");
  CHECK(res->status == 400);
  CHECK(code_of(res) == 131009);
  res = cli->Delete(("/v19.0/" + id).c_str());
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(parse(res->body)["success"].GetBool());
  res = cli->Get(("/v19.0/" + id).c_str());
  CHECK(res->status == 400);
  CHECK(code_of(res) == 100);
  CHECK(stat(sim, "media", "uploads") == 1);
  CHECK(stat(sim, "media", "deletes") == 1);
}

TEST_CASE("cloud-sim: inbound injection with and without a phone number, "
          "and mark-as-read of an inbound message") {
  webhook_receiver hook;
  test_cloud_sim sim{"cs-inbound", hook_flags(hook)};
  REQUIRE_MESSAGE(sim.wait_ready(10s), sim.log());
  httplib::Client q{"127.0.0.1", sim.query_port()};
  auto res = q.Post("/inbound",
                    R"({"from":"16315550101","name":"Ann","body":"hi"})",
                    "application/json");
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 200, res->body);
  std::string phone_id = parse(res->body)["id"].GetString();
  res = q.Post("/inbound",
               R"({"user_id":"US.13491208655302741918","type":"image"})",
               "application/json");
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 200, res->body);
  CHECK(q.Post("/inbound", R"({"body":"nobody"})", "application/json")->status
        == 400);
  REQUIRE(eventually([&] { return hook.bodies().size() >= 1; }, 10s));
  // Both may come in one POST (batched) or in two.
  std::vector<rapidjson::Document> docs;
  REQUIRE(eventually([&] {
    size_t n = 0;
    for (auto& b : hook.bodies()) {
      auto d = parse(b);
      n += value_of(d)["messages"].Size();
    }
    return n >= 2;
  }, 10s));
  std::map<std::string, std::string> by_id; // id -> "from|from_user_id|type"
  std::map<std::string, std::string> contacts;
  std::string image_id;
  for (auto& b : hook.bodies()) {
    auto d = parse(b);
    auto& v = value_of(d);
    for (rapidjson::SizeType i = 0; i < v["messages"].Size(); ++i) {
      auto& m = v["messages"][i];
      auto& c = v["contacts"][i];
      std::string id = m["id"].GetString();
      by_id[id] = std::string{m.HasMember("from") ? m["from"].GetString() : ""}
                  + "|" + m["from_user_id"].GetString() + "|"
                  + m["type"].GetString();
      contacts[id] = std::string{c.HasMember("wa_id") ? c["wa_id"].GetString()
                                                      : ""}
                     + "|" + c["user_id"].GetString();
      if (m.HasMember("image"))
        image_id = m["image"]["id"].GetString();
    }
  }
  REQUIRE(by_id.count(phone_id) == 1);
  CHECK(by_id[phone_id].rfind("16315550101|US.", 0) == 0);
  CHECK(contacts[phone_id].rfind("16315550101|US.", 0) == 0);
  bool hidden = false;
  for (auto& [id, s] : by_id)
    if (id != phone_id) {
      CHECK(s == "|US.13491208655302741918|image");
      CHECK(contacts[id] == "|US.13491208655302741918");
      hidden = true;
    }
  CHECK(hidden);
  // The image is media the simulator holds.
  REQUIRE_FALSE(image_id.empty());
  CHECK(sim.graph()->Get(("/v19.0/" + image_id).c_str())->status == 200);

  auto read = sim.send(R"({"messaging_product":"whatsapp","status":"read",)"
                       R"("message_id":")" + phone_id + R"("})");
  REQUIRE(read);
  CHECK(read->status == 200);
  CHECK(parse(read->body)["success"].GetBool());
  auto reads = sim.query("/reads");
  REQUIRE(reads["reads"].Size() == 1);
  CHECK(std::string{reads["reads"][0]["message_id"].GetString()} == phone_id);
  read = sim.send(R"({"messaging_product":"whatsapp","status":"read",)"
                  R"("message_id":"wamid.nothing"})");
  CHECK(read->status == 400);
  CHECK(code_of(read) == 100);
}

TEST_CASE("cloud-sim: a webhook answered 500 is retried and delivered "
          "exactly once more") {
  webhook_receiver hook;
  hook.refuse_next(1, 500);
  test_cloud_sim sim{"cs-retry",
                     hook_flags(hook, {"--cloud-sim-read-ms", "0",
                                       "--cloud-sim-delivered-ms", "300",
                                       "--cloud-sim-webhook-backoff-ms",
                                       "50"})};
  REQUIRE_MESSAGE(sim.wait_ready(10s), sim.log());
  auto wamid = wamid_of(sim.send(text_to("16315550001", "retry me")));
  REQUIRE_FALSE(wamid.empty());
  REQUIRE(eventually([&] {
    return count_of(statuses(hook), wamid + ":delivered") == 1;
  }, 10s));
  auto got = statuses(hook);
  CHECK(hook.refused() == 1);
  CHECK(count_of(got, wamid + ":sent") == 1);
  CHECK(got.front() == wamid + ":sent");
  auto w = sim.query("/webhooks");
  CHECK(w["counts"]["failures"].GetUint64() == 1);
  CHECK(w["counts"]["delivered_events"].GetUint64() == 2);
  auto& first = w["attempts"][0];
  CHECK(first["status"].GetInt() == 500);
  CHECK_FALSE(first["ok"].GetBool());
  CHECK(w["attempts"][1]["ok"].GetBool());
  CHECK(w["attempts"][1]["batch"].GetUint64()
        == first["batch"].GetUint64());
}

TEST_CASE("cloud-sim: injected faults: failing sends, latency, refused and "
          "paused webhooks, a full queue answers 503") {
  webhook_receiver hook;
  test_cloud_sim sim{"cs-faults",
                     hook_flags(hook, {"--cloud-sim-read-ms", "0",
                                       "--cloud-sim-delivered-ms", "10",
                                       "--cloud-sim-webhook-queue", "5",
                                       "--cloud-sim-webhook-backoff-ms",
                                       "50"})};
  REQUIRE_MESSAGE(sim.wait_ready(10s), sim.log());
  REQUIRE(sim.control("/fault", R"({"fail_sends":{"count":2,)"
                                R"("http_status":500,"code":131000}})")
          == 200);
  for (int i = 0; i < 2; ++i) {
    auto res = sim.send(text_to("16315550001", "f" + std::to_string(i)));
    CHECK(res->status == 500);
    CHECK(code_of(res) == 131000);
  }
  CHECK(sim.send(text_to("16315550001", "f2"))->status == 200);
  CHECK(sim.control("/fault", R"({"bogus":1})") == 400);

  REQUIRE(sim.control("/fault", R"({"latency_ms":300})") == 200);
  auto t0 = std::chrono::steady_clock::now();
  CHECK(sim.send(text_to("16315550002", "slow"))->status == 200);
  CHECK(std::chrono::steady_clock::now() - t0 >= 300ms);
  REQUIRE(sim.control("/fault", R"({"latency_ms":0})") == 200);
  REQUIRE(eventually([&] { return statuses(hook).size() == 4; }, 10s));

  // Refused: the receiver's 200 counts as a failure, so the same POST comes
  // again, until the fault ends.
  REQUIRE(sim.control("/fault", R"({"webhooks":"refuse"})") == 200);
  auto wamid = wamid_of(sim.send(text_to("16315550003", "refused")));
  REQUIRE_FALSE(wamid.empty());
  REQUIRE(eventually([&] {
    return sim.query("/webhooks")["counts"]["failures"].GetUint64() >= 2;
  }, 10s));
  CHECK(count_of(statuses(hook), wamid + ":sent") >= 2);
  REQUIRE(sim.control("/fault", R"({"webhooks":"normal"})") == 200);
  REQUIRE(eventually([&] {
    return count_of(statuses(hook), wamid + ":delivered") >= 1
           && sim.query("/webhooks")["counts"]["pending"].GetUint64() == 0;
  }, 10s));
  auto w = sim.query("/webhooks");
  CHECK(w["counts"]["dropped_events"].GetUint64() == 0);
  CHECK(w["attempts"][w["attempts"].Size() - 1]["ok"].GetBool());

  // Paused: events wait; the queue cap refuses sends with 503 (131016).
  REQUIRE(sim.control("/fault", R"({"webhooks":"pause"})") == 200);
  auto attempts = sim.query("/webhooks")["counts"]["attempts"].GetUint64();
  CHECK(sim.send(text_to("16315550004", "q1"))->status == 200);
  CHECK(sim.send(text_to("16315550005", "q2"))->status == 200);
  auto res = sim.send(text_to("16315550006", "q3"));
  REQUIRE(res);
  CHECK(res->status == 503);
  CHECK(code_of(res) == 131016);
  CHECK(sim.query("/webhooks")["counts"]["attempts"].GetUint64() == attempts);
  CHECK(sim.query("/webhooks")["counts"]["pending"].GetUint64() == 4);
  REQUIRE(sim.control("/fault", R"({"webhooks":"normal"})") == 200);
  REQUIRE(eventually([&] {
    return sim.query("/webhooks")["counts"]["pending"].GetUint64() == 0;
  }, 10s));
  CHECK(sim.send(text_to("16315550006", "q3"))->status == 200);

  REQUIRE(sim.control("/reset", "") == 200);
  CHECK(stat(sim, "accepted") == 0);
}

TEST_CASE("cloud-sim: the webhook verification GET echoes the challenge "
          "only for the right verify token") {
  webhook_receiver hook;
  hook.set_verify_token("let-me-in");
  test_cloud_sim sim{"cs-verify",
                     hook_flags(hook, {"--cloud-verify-token", "let-me-in"})};
  REQUIRE_MESSAGE(sim.wait_ready(10s), sim.log());
  httplib::Client q{"127.0.0.1", sim.query_port()};
  auto res = q.Post("/webhooks/verify", "", "application/json");
  REQUIRE(res);
  auto v = parse(res->body);
  CHECK(v["ok"].GetBool());
  CHECK(std::string{v["echo"].GetString()} == v["challenge"].GetString());
  hook.set_verify_token("another");
  v = parse(q.Post("/webhooks/verify", "", "application/json")->body);
  CHECK_FALSE(v["ok"].GetBool());
  CHECK(v["status"].GetInt() == 403);
}

TEST_CASE("cloud-sim: HTTPS with --tls-cert/--tls-key, and webhooks to an "
          "HTTPS receiver trusted through --cloud-sim-webhook-ca") {
  char tmpl[] = "/tmp/mc-cloud-tls-XXXXXX";
  REQUIRE(::mkdtemp(tmpl));
  std::string dir = tmpl;
  REQUIRE(issue_certs(dir, {"cloudsim", "receiver"}));
  // The receiver: an HTTPS server with a certificate of the same CA.
  httplib::SSLServer receiver{(dir + "/receiver.crt").c_str(),
                              (dir + "/receiver.key").c_str()};
  REQUIRE(receiver.is_valid());
  std::atomic<int> posts{0};
  receiver.Post("/hook", [&](const httplib::Request&, httplib::Response& res) {
    ++posts;
    res.status = 200;
  });
  auto rport = receiver.bind_to_any_port("127.0.0.1");
  std::thread rthread{[&] { receiver.listen_after_bind(); }};
  REQUIRE(eventually([&] { return receiver.is_running(); }, 5s));
  {
    test_cloud_sim sim{
      "cs-tls",
      {"--tls-cert", dir + "/cloudsim.crt", "--tls-key", dir + "/cloudsim.key",
       "--cloud-sim-webhook",
       "https://127.0.0.1:" + std::to_string(rport) + "/hook",
       "--cloud-sim-webhook-ca", dir + "/ca.crt", "--cloud-sim-read-ms", "0"}};
    REQUIRE_MESSAGE(sim.wait_ready(10s), sim.log());
    httplib::SSLClient cli{"127.0.0.1", sim.port()};
    cli.set_ca_cert_path((dir + "/ca.crt").c_str());
    cli.enable_server_certificate_verification(true);
    cli.set_bearer_token_auth(sim.token().c_str());
    auto res = cli.Post(test_cloud_sim::messages_path().c_str(),
                        text_to("16315550001", "tls"), "application/json");
    REQUIRE_MESSAGE(res, (httplib::to_string(res.error()) + "\n" + sim.log()));
    CHECK(res->status == 200);
    CHECK_MESSAGE(eventually([&] { return posts.load() >= 1; }, 10s),
                  sim.log());
  }
  receiver.stop();
  rthread.join();
  std::system(("rm -rf " + dir).c_str());
}
