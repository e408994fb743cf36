#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <httplib.h>
#include <rapidjson/document.h>

#include "http/sim_query_server.hpp"
#include "runtime/inbound_payload.hpp"

using namespace mc;

namespace {

struct fixture {
  std::shared_ptr<sim_ledger> ledger = std::make_shared<sim_ledger>(64);
  // Written by server threads; the reply to a request orders it before the
  // test reads, the atomic/mutex keeps that visible to sanitizers too.
  std::mutex mtx;
  std::vector<std::pair<inbound_message, std::string>> injected;
  std::atomic<int> fault_calls{0};
  sim_query_server server{
    ledger,
    [this](inbound_message msg, std::string account) {
      std::lock_guard<std::mutex> guard{mtx};
      injected.emplace_back(std::move(msg), std::move(account));
    },
    [this] { ++fault_calls; }};

  fixture() {
    REQUIRE(server.start("127.0.0.1", 0));
    REQUIRE(server.port() != 0);
  }

  httplib::Client client() {
    httplib::Client cli{"127.0.0.1", server.port()};
    cli.set_connection_timeout(2);
    cli.set_read_timeout(5);
    return cli;
  }
};

} // namespace

TEST_CASE_FIXTURE(fixture, "stats and log report what the ledger holds") {
  std::vector<bool> fresh;
  ledger->on_login("acc", 1, 4);
  ledger->accept("acc", 1, 4,
                 {{"m1", "155", "x"}, {"m2", "156", "y"}, {"m1", "155", "x"}},
                 fresh);
  auto cli = client();
  auto health = cli.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  auto stats = cli.Get("/stats");
  REQUIRE(stats);
  CHECK(stats->status == 200);
  rapidjson::Document doc;
  doc.Parse(stats->body.c_str());
  REQUIRE(doc.IsObject());
  CHECK(doc["accepted"].GetUint64() == 2);
  CHECK(doc["duplicates"].GetUint64() == 1);
  CHECK(doc["logins"].GetUint64() == 1);
  REQUIRE(doc["sessions"].Size() == 1);
  CHECK(std::string{doc["sessions"][0]["account"].GetString()} == "acc");
  CHECK(doc["sessions"][0]["shard"].GetInt() == 1);
  CHECK(doc["sessions"][0]["epoch"].GetInt64() == 4);
  CHECK(doc["sessions"][0]["accepted"].GetUint64() == 2);
  auto log = cli.Get("/log");
  REQUIRE(log);
  CHECK(log->body == "1\tm1\t155\t1\t4\n2\tm2\t156\t1\t4\n");
  auto page = cli.Get("/log?from=1&limit=5");
  REQUIRE(page);
  CHECK(page->body == "2\tm2\t156\t1\t4\n");
  // /messages gives the same records with the payload as a string.
  auto msgs = cli.Get("/messages?from=1");
  REQUIRE(msgs);
  CHECK(msgs->status == 200);
  rapidjson::Document m;
  m.Parse(msgs->body.c_str());
  REQUIRE(m.IsObject());
  REQUIRE(m["messages"].Size() == 1);
  CHECK(std::string{m["messages"][0]["id"].GetString()} == "m2");
  CHECK(m["messages"][0]["seq"].GetUint64() == 2);
  CHECK(std::string{m["messages"][0]["payload"].GetString()} == "y");
  CHECK(cli.Get("/messages?limit=x")->status == 400);
  auto bad = cli.Get("/log?from=-3");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  auto reset = cli.Post("/reset", "", "application/json");
  REQUIRE(reset);
  CHECK(reset->status == 200);
  CHECK(ledger->size() == 0);
}

TEST_CASE_FIXTURE(fixture, "faults are validated and stored") {
  auto cli = client();
  auto post = [&](const char* body) {
    auto res = cli.Post("/fault", body, "application/json");
    REQUIRE(res);
    return res->status;
  };
  CHECK(post("{\"extra_latency_ms\":25}") == 200);
  CHECK(ledger->extra_latency_ms() == 25);
  CHECK(post("{\"drop_sessions\":true}") == 200);
  CHECK(post("{\"refuse_logins_ms\":300}") == 200);
  CHECK(fault_calls == 3);
  auto req = ledger->take_fault_requests();
  CHECK(req.drop_sessions == 1);
  REQUIRE(req.refuse_logins_ms);
  CHECK(*req.refuse_logins_ms == 300);
  CHECK(post("not json") == 400);
  CHECK(post("{}") == 400);
  CHECK(post("{\"refuse_logins_ms\":-1}") == 400);
  CHECK(post("{\"refuse_logins_ms\":\"5\"}") == 400);
  CHECK(post("{\"drop_sessions\":1}") == 400);
  CHECK(post("{\"nonsense\":1}") == 400);
  CHECK(fault_calls == 3);
}

TEST_CASE_FIXTURE(fixture, "inbound injection hands the message over") {
  auto cli = client();
  auto res = cli.Post("/inbound",
                      "{\"account\":\"acc\",\"from\":\"15550001234\","
                      "\"body\":\"hi\"}",
                      "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  REQUIRE(injected.size() == 1);
  CHECK(injected[0].second == "acc");
  CHECK(injected[0].first.from == "15550001234");
  CHECK(injected[0].first.payload == text_payload("hi"));
  CHECK(injected[0].first.profile_name == "Sim User 15550001234");
  auto bad = cli.Post("/inbound", "{\"account\":\"acc\"}", "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(injected.size() == 1);
}

TEST_CASE_FIXTURE(fixture, "inbound injection of every type and of a given "
                           "message object") {
  auto cli = client();
  for (auto& type : inbound_types()) {
    auto res = cli.Post("/inbound",
                        R"({"account":"acc","from":"15550001234","name":"Kerry",)"
                        R"("type":")" + type + R"("})",
                        "application/json");
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  REQUIRE(injected.size() == inbound_types().size());
  for (size_t i = 0; i < injected.size(); ++i) {
    CHECK(inbound_type(injected[i].first.payload) == inbound_types()[i]);
    CHECK(injected[i].first.profile_name == "Kerry");
  }
  auto given = cli.Post(
    "/inbound",
    R"({"account":"acc","from":"1","id":"x1","message":{"type":"location",)"
    R"("location":{"latitude":1.5,"longitude":2.5}}})",
    "application/json");
  REQUIRE(given);
  CHECK(given->status == 200);
  REQUIRE(injected.size() == inbound_types().size() + 1);
  CHECK(injected.back().first.id == "x1");
  rapidjson::Document doc;
  doc.Parse(injected.back().first.payload.c_str());
  REQUIRE(doc.IsObject());
  CHECK(doc["location"]["latitude"].GetDouble() == 1.5);
  // Refused: an unknown type, a message without its object, two kinds.
  for (auto* body :
       {R"({"account":"acc","from":"1","type":"fax"})",
        R"({"account":"acc","from":"1","message":{"type":"image"}})",
        R"({"account":"acc","from":"1","body":"x","type":"text"})",
        R"({"account":"acc","from":"1"})"}) {
    auto res = cli.Post("/inbound", body, "application/json");
    REQUIRE(res);
    CHECK_MESSAGE(res->status == 400, body);
  }
  CHECK(injected.size() == inbound_types().size() + 1);
}

TEST_CASE_FIXTURE(fixture, "reads lists the read receipts taken") {
  ledger->reads().record({"acc", 2, 5, "in-1", "15550000001"});
  auto cli = client();
  auto res = cli.Get("/reads");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  REQUIRE(doc.IsObject());
  CHECK(doc["total"].GetUint64() == 1);
  REQUIRE(doc["reads"].Size() == 1);
  auto& r = doc["reads"][0];
  CHECK(std::string{r["account"].GetString()} == "acc");
  CHECK(r["shard"].GetInt() == 2);
  CHECK(r["epoch"].GetInt64() == 5);
  CHECK(std::string{r["message_id"].GetString()} == "in-1");
  CHECK(std::string{r["sender"].GetString()} == "15550000001");
}

TEST_CASE("the query server stops promptly and can restart") {
  auto ledger = std::make_shared<sim_ledger>(16);
  sim_query_server server{ledger, {}};
  REQUIRE(server.start("127.0.0.1", 0));
  CHECK_FALSE(server.start("127.0.0.1", 0));
  server.stop();
  CHECK(server.port() == 0);
  server.stop();
  REQUIRE(server.start("127.0.0.1", 0));
  httplib::Client cli{"127.0.0.1", server.port()};
  auto res = cli.Post("/inbound",
                      "{\"account\":\"a\",\"from\":\"1\",\"body\":\"b\"}",
                      "application/json");
  REQUIRE(res);
  CHECK(res->status == 503);
}

TEST_CASE_FIXTURE(fixture, "templates and rules configure what the servers check") {
  auto cli = client();
  auto post = [&](const char* path, const char* body) {
    auto res = cli.Post(path, body, "application/json");
    REQUIRE(res);
    return res->status;
  };
  const upstream_message hello{
    "m1", "16315550000",
    R"({"type":"template","template":{"namespace":"ns","name":"hello","language":{"policy":"deterministic","code":"en"},"components":[{"type":"body","parameters":[{"type":"text","text":"x"}]}]}})",
    "template"};
  CHECK(ledger->rules().check(hello).code == 2001);
  CHECK(post("/templates", R"({"namespace":"ns","name":"hello","languages":["en"],"params":{"body":1}})")
        == 200);
  CHECK(ledger->rules().check(hello).code == 0);
  CHECK(post("/templates", R"({"namespace":"ns","name":"hello","languages":["en"],"params":{"body":2}})")
        == 200);
  CHECK(ledger->rules().check(hello).code == 2000);
  CHECK(post("/templates", R"({"namespace":"ns","name":"hello","languages":[]})") == 400);
  CHECK(post("/templates", R"({"namespace":"ns","name":"hello","languages":["en"],"params":{"footer":1}})")
        == 400);
  CHECK(post("/templates", "nope") == 400);
  CHECK(post("/rules", R"({"non_users":["16315550000"]})") == 200);
  CHECK(ledger->rules().check(hello).code == 1013);
  CHECK(post("/rules", R"({"non_users":[],"bad_link_hosts":["bad.example"]})") == 200);
  CHECK(ledger->rules()
          .check({"m2", "1", R"({"type":"video","video":{"link":"http://bad.example/v.mp4"}})", "video"})
          .code
        == 1014);
  CHECK(post("/rules", R"({"non_users":[1]})") == 400);
  CHECK(post("/rules", R"({"other":[]})") == 400);
  CHECK(post("/rules", "{}") == 400);
}

TEST_CASE_FIXTURE(fixture, "one list of non-users: declared by either route, "
                           "contacts checks answer invalid and sends fail") {
  auto cli = client();
  auto post = [&](const char* path, const std::string& body) {
    auto res = cli.Post(path, body, "application/json");
    REQUIRE(res);
    return res->status;
  };
  auto text_to = [](std::string to) {
    return upstream_message{"m1", std::move(to),
                            R"({"type":"text","text":{"body":"x"}})", "text"};
  };
  auto dir = ledger->rules().directory();
  // Declared for contacts: sends to it fail with 1013.
  CHECK(post("/contacts/non_users", R"({"numbers":["16315550001"]})") == 200);
  CHECK(ledger->rules().check(text_to("16315550001")).code == 1013);
  CHECK(dir->check({"16315550001"})[0].status == "invalid");
  // Declared by the rules (which replace the list): contacts agree.
  CHECK(post("/rules", R"({"non_users":["16315550002"]})") == 200);
  CHECK(ledger->rules().check(text_to("16315550001")).code == 0);
  CHECK(ledger->rules().check(text_to("16315550002")).code == 1013);
  auto listed = cli.Get("/contacts");
  REQUIRE(listed);
  CHECK(listed->body.find("16315550002") != std::string::npos);
  CHECK(listed->body.find("16315550001") == std::string::npos);
  CHECK(dir->check({"16315550002"})[0].status == "invalid");
  // Asking the send path is not counted as a contact check.
  auto checks = dir->checks();
  ledger->rules().check(text_to("16315550002"));
  CHECK(dir->checks() == checks);
}
