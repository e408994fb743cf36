#include <doctest/doctest.h>

#include <regex>
#include <string>

#include <httplib.h>
#include <rapidjson/document.h>

#include "support/test_cluster.hpp"

using namespace mc::test;
using namespace std::chrono_literals;

namespace {

void start_cluster(test_cluster& c) {
  c.start_sim();
  c.start("master", "m1");
  c.start("coreapp", "c1");
  c.start("coreapp", "c2");
  c.start_webapp();
}

httplib::Headers apikey(const test_cluster& c) {
  return {{"Authorization", "Apikey " + c.query("SELECT api_key FROM cluster")}};
}

rapidjson::Document get_json(const test_cluster& c, const std::string& path) {
  httplib::Client cli{"127.0.0.1", c.http_port()};
  cli.set_read_timeout(10s);
  rapidjson::Document doc;
  auto res = cli.Get(path.c_str(), apikey(c));
  if (res && res->status == 200)
    doc.Parse(res->body.c_str());
  if (!doc.IsObject())
    doc.SetObject();
  return doc;
}

std::string get_text(const test_cluster& c, const std::string& path) {
  httplib::Client cli{"127.0.0.1", c.http_port()};
  cli.set_read_timeout(10s);
  auto res = cli.Get(path.c_str(), apikey(c));
  return res && res->status == 200 ? res->body : std::string{};
}

/// The first value of `family` in the stats entry `node` of `section`, or
/// -1 when absent.
int64_t figure(const rapidjson::Document& doc, const char* section,
               const std::string& node, const char* family,
               const char* label = nullptr, const char* label_value = nullptr) {
  if (!doc.HasMember("stats") || !doc["stats"].HasMember(section))
    return -1;
  auto& s = doc["stats"][section];
  if (!s.HasMember(node.c_str()) || !s[node.c_str()].HasMember(family))
    return -1;
  for (auto& d : s[node.c_str()][family]["data"].GetArray()) {
    if (label && (!d.HasMember("labels") || !d["labels"].HasMember(label)
                  || std::string{d["labels"][label].GetString()} != label_value))
      continue;
    return d["value"].GetInt64();
  }
  return -1;
}

/// The value of the Prometheus sample line starting with `series` + " ".
double sample(const std::string& text, const std::string& series) {
  auto at = text.find("\n" + series + " ");
  if (at == std::string::npos)
    return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

/// Every line is HELP, TYPE or a well-formed sample.
bool well_formed_prometheus(const std::string& text) {
  static const std::regex line_re{
    R"(^(# (HELP|TYPE) .*|[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")*\})? ([-+]?[0-9.eE+-]+|\+Inf))$)"};
  size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos)
      end = text.size();
    if (!std::regex_match(text.substr(start, end - start), line_re)) {
      MESSAGE("bad line: " << text.substr(start, end - start));
      return false;
    }
    start = end + 1;
  }
  return !text.empty();
}

int post(uint16_t port, const std::string& token, const std::string& path,
         const std::string& body, std::string* answer = nullptr) {
  httplib::Client cli{"127.0.0.1", port};
  cli.set_read_timeout(10s);
  auto res = cli.Post(path.c_str(), {{"Authorization", "Bearer " + token}},
                      body, "application/json");
  if (!res)
    return 0;
  if (answer)
    *answer = res->body;
  return res->status;
}

int64_t sim_contact_checks(const test_cluster& c) {
  httplib::Client sim{"127.0.0.1", c.sim_http_port()};
  auto res = sim.Get("/contacts");
  if (!res || res->status != 200)
    return -1;
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  return doc["checks"].GetInt64();
}

/// The contacts of a /v1/contacts answer as "input=status/wa_id" lines.
std::string contacts_of(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  std::string out;
  if (!doc.IsObject() || !doc.HasMember("contacts"))
    return "bad answer: " + body;
  for (auto& x : doc["contacts"].GetArray()) {
    out += std::string{x["input"].GetString()} + "="
           + x["status"].GetString() + "/"
           + (x.HasMember("wa_id") ? x["wa_id"].GetString() : "") + ";";
  }
  return out;
}

} // namespace

TEST_CASE("stats and metrics reflect N sent messages, in JSON and "
          "Prometheus text, behind the Apikey header") {
  test_cluster c{"e2e_stats"};
  start_cluster(c);
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 20s), c.logs());
  auto token = wait_for_admin_token(c.http_port(), 10s);
  REQUIRE_FALSE(token.empty());
  constexpr int n = 7;
  for (int i = 0; i < n; ++i)
    REQUIRE(post(c.http_port(), token, "/v1/messages",
                 R"({"to":"1555000000)" + std::to_string(i)
                   + R"(","type":"text","text":{"body":"m"}})")
            == 201);
  auto owner = c.query("SELECT owner FROM shard_map WHERE shard_id = 0");
  auto standby = owner == "c1" ? "c2" : "c1";
  auto owner_key = "127.0.0.1:" + owner;
  // App stats: the owner's in-memory counters, the standby's entry empty.
  REQUIRE_MESSAGE(c.wait([&] {
                    return figure(get_json(c, "/v1/stats/app"), "app",
                                  owner_key, "messages_acked")
                           == n;
                  }, 10s),
                  c.logs());
  auto app = get_json(c, "/v1/stats/app");
  CHECK(figure(app, "app", owner_key, "messages_committed") == n);
  CHECK(figure(app, "app", owner_key, "shards_served") == 1);
  CHECK(figure(app, "app", owner_key, "callback_queue_size") >= 0);
  CHECK(figure(app, "app", owner_key, "callback_requests", "type",
               "status_change")
        >= 0);
  auto standby_key = std::string{"127.0.0.1:"} + standby;
  REQUIRE(app["stats"]["app"].HasMember(standby_key.c_str()));
  CHECK(app["stats"]["app"][standby_key.c_str()].ObjectEmpty());
  CHECK(std::string{app["stats"]["app"][owner_key.c_str()]["messages_committed"]
                      ["type"].GetString()}
        == "counter");
  auto app_text = get_text(c, "/v1/stats/app?format=prometheus");
  CHECK(well_formed_prometheus(app_text));
  CHECK(sample(app_text, "messages_committed{node=\"" + owner_key + "\"}")
        == n);
  // pending_messages is read from PostgreSQL, where the sent marks of
  // acked messages are written after the ack (the writer batches them):
  // wait for them rather than race them.
  auto pending_key = "pending_messages{node=\"" + owner_key + "\",shard=\"0\"}";
  std::string internal;
  CHECK_MESSAGE(c.wait([&] {
                  internal = get_text(c, "/v1/stats/app/internal?format=prometheus");
                  return sample(internal, pending_key) == 0;
                }, 10s),
                internal);
  CHECK(well_formed_prometheus(internal));
  // DB stats: on the primary master's entry only.
  auto db = get_json(c, "/v1/stats/db");
  CHECK(figure(db, "db", "127.0.0.1:m1", "db_messages", "type", "outgoing")
        == n);
  CHECK(figure(db, "db", "127.0.0.1:m1", "db_pending_messages") == 0);
  REQUIRE(db["stats"]["db"].HasMember(owner_key.c_str()));
  CHECK(db["stats"]["db"][owner_key.c_str()].ObjectEmpty());
  auto db_text = get_text(c, "/v1/stats/db?format=prometheus");
  CHECK(well_formed_prometheus(db_text));
  CHECK(sample(db_text, "db_messages{node=\"127.0.0.1:m1\",type=\"outgoing\"}")
        == n);
  CHECK(well_formed_prometheus(
    get_text(c, "/v1/stats/db/internal?format=prometheus")));
  // /metrics: ours plus the On-Prem webapp names with the histogram.
  auto metrics = get_text(c, "/metrics");
  CHECK(well_formed_prometheus(metrics));
  CHECK(metrics.find("multiconnect_shards 1\n") != std::string::npos);
  CHECK(sample(metrics, "web_uptime{node=\"w1\"}") >= 0);
  CHECK(sample(metrics, "web_requests{node=\"w1\",state=\"handle-request\"}")
        >= 1);
  std::string series
    = "{node=\"w1\",method=\"POST_v1_messages\",result=\"201\"";
  CHECK(sample(metrics, "api_requests_duration_ms_count" + series + "}") == n);
  CHECK(sample(metrics, "api_requests_duration_ms_bucket" + series
                          + ",le=\"+Inf\"}")
        == n);
  CHECK(sample(metrics, "api_requests_duration_ms_sum" + series + "}") > 0);
  // A wrong Apikey is refused like a missing one.
  httplib::Client cli{"127.0.0.1", c.http_port()};
  auto refused = cli.Get("/v1/stats/app",
                         {{"Authorization", "Apikey not-the-key-0000"}});
  REQUIRE(refused);
  CHECK(refused->status == 401);
  CHECK(refused->body.find("\"code\":1005") != std::string::npos);
}

TEST_CASE("contacts: valid and invalid from the upstream via the shard "
          "owner, cached, force_check asks again, no_wait answers "
          "processing then the cached answer") {
  test_cluster c{"e2e_contacts"};
  start_cluster(c);
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 20s), c.logs());
  auto token = wait_for_admin_token(c.http_port(), 10s);
  REQUIRE_FALSE(token.empty());
  httplib::Client sim{"127.0.0.1", c.sim_http_port()};
  auto told = sim.Post("/contacts/non_users", R"({"numbers":["16315550002"]})",
                       "application/json");
  REQUIRE(told);
  REQUIRE(told->status == 200);
  CHECK(sim_contact_checks(c) == 0);
  const std::string wait_body
    = R"({"blocking":"wait","contacts":["+1 631-555-0001","16315550002","12ab"]})";
  const std::string expected
    = "+1 631-555-0001=valid/16315550001;16315550002=invalid/;12ab=failed/;";
  std::string answer;
  REQUIRE_MESSAGE(post(c.http_port(), token, "/v1/contacts", wait_body,
                       &answer) == 200,
                  std::string{answer + c.logs()});
  CHECK(contacts_of(answer) == expected);
  CHECK(sim_contact_checks(c) == 2);
  // Cached: the same answer without asking the upstream.
  REQUIRE(post(c.http_port(), token, "/v1/contacts", wait_body, &answer)
          == 200);
  CHECK(contacts_of(answer) == expected);
  CHECK(sim_contact_checks(c) == 2);
  // force_check bypasses the cache.
  REQUIRE(post(c.http_port(), token, "/v1/contacts",
               R"({"blocking":"wait","force_check":true,"contacts":["16315550001","16315550002"]})",
               &answer)
          == 200);
  CHECK(contacts_of(answer)
        == "16315550001=valid/16315550001;16315550002=invalid/;");
  CHECK(sim_contact_checks(c) == 4);
  // no_wait: an unknown number is processing, then cached.
  const std::string later = R"({"contacts":["16315550003"]})";
  REQUIRE(post(c.http_port(), token, "/v1/contacts", later, &answer) == 200);
  CHECK(contacts_of(answer) == "16315550003=processing/;");
  // The background check reaches the upstream once and fills the cache.
  REQUIRE(c.wait([&] {
    return c.query("SELECT status FROM contacts WHERE number = '16315550003'")
           == "valid";
  }, 5s));
  CHECK(sim_contact_checks(c) == 5);
  REQUIRE(post(c.http_port(), token, "/v1/contacts", later, &answer) == 200);
  CHECK(contacts_of(answer) == "16315550003=valid/16315550003;");
  CHECK(sim_contact_checks(c) == 5);
  // The cache shows up in the DB stats.
  auto db = get_json(c, "/v1/stats/db");
  CHECK(figure(db, "db", "127.0.0.1:m1", "db_contacts", "type",
               "whatsapp_user")
        == 2);
  CHECK(figure(db, "db", "127.0.0.1:m1", "db_contacts", "type",
               "non_whatsapp_user")
        == 1);
  // Bad input: On-Prem 1009 / 1008.
  CHECK(post(c.http_port(), token, "/v1/contacts",
             R"({"blocking":"soon","contacts":["1"]})", &answer)
        == 400);
  CHECK(answer.find("\"code\":1009") != std::string::npos);
  CHECK(post(c.http_port(), token, "/v1/contacts", R"({})", &answer) == 400);
  CHECK(answer.find("\"code\":1008") != std::string::npos);
}
