#include <doctest/doctest.h>

#include <map>
#include <regex>
#include <sstream>

#include <httplib.h>
#include <rapidjson/document.h>

#include "http/latency_histogram.hpp"
#include "http/metrics_format.hpp"
#include "http/request_metrics.hpp"

using namespace mc::http;

namespace {

/// A checking reader of the Prometheus text format (0.0.4): every line is
/// a HELP, a TYPE or a sample `name{l="v",...} value`; samples follow their
/// TYPE; returns the samples as "name{labels}" -> value, fails the test
/// on any malformed line.
std::map<std::string, double> parse_prometheus(const std::string& text) {
  static const std::regex help{R"(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*$)"};
  static const std::regex type{
    R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter|histogram|summary|untyped)$)"};
  static const std::regex sample{
    R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")*)\})? ([-+]?[0-9.eE+-]+|\+Inf|-Inf|NaN)$)"};
  std::map<std::string, double> out;
  std::map<std::string, std::string> types;
  std::istringstream in{text};
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, help))
      continue;
    if (std::regex_match(line, m, type)) {
      CHECK_MESSAGE(types.count(m[1]) == 0, "TYPE repeated: " << line);
      types[m[1]] = m[2];
      continue;
    }
    REQUIRE_MESSAGE(std::regex_match(line, m, sample), "bad line: " << line);
    std::string name = m[1];
    bool typed = types.count(name) > 0;
    for (auto suffix : {"_bucket", "_sum", "_count"}) {
      auto n = std::string{suffix};
      if (name.size() > n.size()
          && name.compare(name.size() - n.size(), n.size(), n) == 0)
        typed = typed || types.count(name.substr(0, name.size() - n.size()));
    }
    CHECK_MESSAGE(typed, "sample before its TYPE: " << line);
    auto v = m[7].str();
    out[name + m[2].str()] = v == "+Inf" ? 1e308 : std::stod(v);
  }
  return out;
}

} // namespace

TEST_CASE("metric families render as the On-Prem JSON shape") {
  metric_families fams{
    {"callback_queue_size", "gauge", "Current callback queue size", {{{}, 450}}},
    {"callback_requests", "counter", "Total number of callback requests made",
     {{{{"result", "success"}, {"type", "inbound_message"}}, 5},
      {{{"result", "error"}, {"type", "status_change"}}, 2}}}};
  rapidjson::StringBuffer buf;
  mc::json_writer w{buf};
  w.StartObject();
  write_families_json(w, fams);
  w.EndObject();
  rapidjson::Document doc;
  doc.Parse(buf.GetString());
  REQUIRE_FALSE(doc.HasParseError());
  auto& q = doc["callback_queue_size"];
  CHECK(std::string{q["type"].GetString()} == "gauge");
  CHECK(std::string{q["help"].GetString()} == "Current callback queue size");
  REQUIRE(q["data"].Size() == 1);
  CHECK_FALSE(q["data"][0].HasMember("labels"));
  CHECK(q["data"][0]["value"].GetInt64() == 450);
  auto& r = doc["callback_requests"]["data"];
  REQUIRE(r.Size() == 2);
  CHECK(std::string{r[0]["labels"]["result"].GetString()} == "success");
  CHECK(std::string{r[0]["labels"]["type"].GetString()} == "inbound_message");
  CHECK(r[1]["value"].GetInt64() == 2);
}

TEST_CASE("metric families render as Prometheus text that parses, with the "
          "extra labels first and label values escaped") {
  metric_families fams{
    {"db_pending_messages", "gauge", "Pending", {{{}, 3}}},
    {"odd", "counter", "x", {{{{"v", "a\"b\\c\nd"}}, 1.5}}}};
  metric_families more{{"db_pending_messages", "gauge", "Pending", {{{}, 4}}}};
  metric_families all;
  append_labelled(all, fams, {"node", "h:c1"});
  append_labelled(all, more, {"node", "h:c2"});
  auto text = prometheus_text(all);
  auto samples = parse_prometheus(text);
  CHECK(samples.at("db_pending_messages{node=\"h:c1\"}") == 3);
  CHECK(samples.at("db_pending_messages{node=\"h:c2\"}") == 4);
  CHECK(samples.at("odd{node=\"h:c1\",v=\"a\\\"b\\\\c\\nd\"}") == 1.5);
  // One HELP/TYPE block per family even with two nodes' samples.
  CHECK(text.find("# TYPE db_pending_messages gauge")
        == text.rfind("# TYPE db_pending_messages gauge"));
}

TEST_CASE("the latency histogram puts each observation in one bucket and "
          "keeps the sum and count") {
  latency_histogram h;
  h.record(std::chrono::microseconds{500});    // <= 1 ms
  h.record(std::chrono::microseconds{1000});   // <= 1 ms (le is inclusive)
  h.record(std::chrono::microseconds{7000});   // <= 10 ms
  h.record(std::chrono::microseconds{9'000'000}); // +Inf
  CHECK(h.bucket(0) == 2);
  CHECK(h.bucket(3) == 1);
  CHECK(h.bucket(latency_histogram::bounds_ms.size()) == 1);
  CHECK(h.count() == 4);
  CHECK(h.sum_ms() == doctest::Approx(9008.5));
}

TEST_CASE("request metrics: web_uptime, web_requests and a cumulative "
          "api_requests_duration_ms histogram per method and result") {
  request_metrics m;
  CHECK(request_metrics::method_label("GET", "/v1/stats/app")
        == "GET_v1_stats_app");
  CHECK(request_metrics::method_label("POST", "/v1/messages/")
        == "POST_v1_messages");
  m.record("POST", "/v1/messages", 201, std::chrono::microseconds{3000});
  m.record("POST", "/v1/messages", 201, std::chrono::microseconds{40'000});
  m.record("POST", "/v1/messages", 400, std::chrono::microseconds{100});
  auto text = prometheus_text(m.families(), {{"node", "w1"}});
  auto s = parse_prometheus(text);
  CHECK(text.find("# TYPE api_requests_duration_ms histogram")
        != std::string::npos);
  auto key = [](const std::string& suffix, const std::string& result,
                const std::string& le = "") {
    std::string k = "api_requests_duration_ms" + suffix
                    + "{node=\"w1\",method=\"POST_v1_messages\",result=\""
                    + result + "\"";
    if (!le.empty())
      k += ",le=\"" + le + "\"";
    return k + "}";
  };
  CHECK(s.at(key("_bucket", "201", "2")) == 0);
  CHECK(s.at(key("_bucket", "201", "5")) == 1);
  CHECK(s.at(key("_bucket", "201", "50")) == 2);
  CHECK(s.at(key("_bucket", "201", "+Inf")) == 2);
  CHECK(s.at(key("_count", "201")) == 2);
  CHECK(s.at(key("_sum", "201")) == doctest::Approx(43.0));
  CHECK(s.at(key("_count", "400")) == 1);
  CHECK(s.count("web_uptime{node=\"w1\"}") == 1);
  CHECK(s.count("web_requests{node=\"w1\",state=\"handle-request\"}") == 1);
  // In JSON the histogram becomes the reference's _sum/_count families.
  rapidjson::StringBuffer buf;
  mc::json_writer w{buf};
  w.StartObject();
  write_families_json(w, m.families());
  w.EndObject();
  rapidjson::Document doc;
  doc.Parse(buf.GetString());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc.HasMember("api_requests_duration_ms_sum"));
  REQUIRE(doc.HasMember("api_requests_duration_ms_count"));
  auto& count = doc["api_requests_duration_ms_count"]["data"];
  bool found = false;
  for (auto& d : count.GetArray())
    if (std::string{d["labels"]["result"].GetString()} == "201") {
      found = true;
      CHECK(d["value"].GetInt64() == 2);
      CHECK(std::string{d["labels"]["method"].GetString()}
            == "POST_v1_messages");
    }
  CHECK(found);
}

TEST_CASE("request metrics time real requests through the server hooks") {
  httplib::Server srv;
  request_metrics m;
  m.install(srv);
  srv.set_pre_routing_handler([&](const httplib::Request&, httplib::Response&) {
    m.started();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  srv.Get("/v1/slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds{30});
    res.set_content("ok", "text/plain");
  });
  auto port = srv.bind_to_any_port("127.0.0.1");
  std::thread t{[&] { srv.listen_after_bind(); }};
  httplib::Client cli{"127.0.0.1", port};
  auto r = cli.Get("/v1/slow");
  auto missing = cli.Get("/nowhere");
  srv.stop();
  t.join();
  REQUIRE(r);
  REQUIRE(missing);
  auto s = parse_prometheus(prometheus_text(m.families()));
  CHECK(s.at("api_requests_duration_ms_count{method=\"GET_v1_slow\",result="
             "\"200\"}")
        == 1);
  CHECK(s.at("api_requests_duration_ms_sum{method=\"GET_v1_slow\",result="
             "\"200\"}")
        >= 30);
  CHECK(s.at("api_requests_duration_ms_bucket{method=\"GET_v1_slow\","
             "result=\"200\",le=\"25\"}")
        == 0);
  CHECK(s.at("api_requests_duration_ms_count{method=\"GET_nowhere\",result="
             "\"404\"}")
        == 1);
  CHECK(s.at("web_requests{state=\"handle-request\"}") == 0);
}
