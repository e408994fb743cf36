#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>
#include <httplib.h>
#include <pqxx/pqxx>
#include <rapidjson/document.h>

#include "actors/cloud/cloud_sender.hpp"
#include "runtime/onprem_codes.hpp"
#include "runtime/store/cloud_store.hpp"
#include "runtime/store/migrations.hpp"
#include "support/test_db.hpp"

using namespace mc;
using namespace std::chrono_literals;

namespace {

/// A Graph API stand-in on loopback with a script: the first `pair_limit`
/// sends to a recipient are refused with 131056, a token other than
/// `good_token` gets 190, a text "bad" gets 131009 and the first
/// `throttle` sends get 130429. Taken sends are answered with
/// "wamid.<text body>" and logged in order.
class fake_cloud {
public:
  std::map<std::string, int> pair_limit;
  std::string good_token = "EAAG-good";
  std::atomic<int> throttle{0};
  std::atomic<int> calls{0};

  fake_cloud() {
    srv_.Post(R"(/v23\.0/([^/]+)/messages)", [this](const httplib::Request& req,
                                                    httplib::Response& res) {
      ++calls;
      rapidjson::Document doc;
      doc.Parse(req.body.c_str());
      std::string to = doc["to"].GetString();
      std::string text = doc["text"]["body"].GetString();
      std::lock_guard<std::mutex> guard{mtx_};
      if (req.get_header_value("Authorization") != "Bearer " + good_token)
        return refuse(res, 401, 190, "OAuthException");
      if (throttle > 0) {
        --throttle;
        return refuse(res, 400, 130429, "OAuthException");
      }
      if (pair_limit[to] > 0) {
        --pair_limit[to];
        return refuse(res, 400, 131056, "OAuthException");
      }
      if (text == "bad")
        return refuse(res, 400, 131009, "OAuthException");
      taken_.push_back(to + ":" + text);
      res.set_content(R"({"messaging_product":"whatsapp","contacts":[{"input":")"
                        + to + R"(","wa_id":")" + to
                        + R"("}],"messages":[{"id":"wamid.)" + text + R"("}]})",
                      "application/json");
    });
    port_ = srv_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread{[this] { srv_.listen_after_bind(); }};
    // Bounded: listen_after_bind starts at once on a bound socket.
    for (int i = 0; i < 500 && !srv_.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds{2});
  }

  ~fake_cloud() {
    srv_.stop();
    thread_.join();
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_);
  }

  std::vector<std::string> taken() {
    std::lock_guard<std::mutex> guard{mtx_};
    return taken_;
  }

private:
  static void refuse(httplib::Response& res, int status, int code,
                     const char* type) {
    res.status = status;
    res.set_content(R"({"error":{"message":"refused","type":")"
                      + std::string{type} + R"(","code":)"
                      + std::to_string(code)
                      + R"(,"error_data":{"messaging_product":"whatsapp",)"
                        R"("details":"scripted"},"fbtrace_id":"t"}})",
                    "application/json");
  }

  httplib::Server srv_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mtx_;
  std::vector<std::string> taken_;
};

struct fixture {
  test::scratch_db db{"cloudsend"};
  fake_cloud cloud;
  std::string token_file = "/tmp/mc-cloud-token-" + std::to_string(::getpid());
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  std::shared_ptr<cloud_context> ctx;
  cloud_sender_actor sender;

  fixture() {
    pqxx::connection c{db.uri()};
    apply_migrations(c, MC_SOURCE_DIR "/schema");
    write_token(cloud.good_token);
    cloud_settings s;
    s.url = cloud.url();
    s.phone_number_id = "1000";
    s.token_file = token_file;
    s.mps = 1000;
    s.connections = 1;
    s.pair_backoff_ms = 200;
    ctx = std::make_shared<cloud_context>(s, db.uri());
    ctx->pacer().share(1, 1);
    sender = sys.spawn<caf::detached>(cloud_sender, ctx);
  }

  ~fixture() {
    caf::anon_send_exit(sender, caf::exit_reason::user_shutdown);
    std::remove(token_file.c_str());
  }

  void write_token(const std::string& token) {
    std::ofstream out{token_file, std::ios::trunc};
    out << token << "\n";
  }

  static cloud_job job(const std::string& to, const std::string& text,
                       int64_t epoch = 1) {
    return cloud_job{0, epoch, "id-" + text, to,
                     R"({"messaging_product":"whatsapp","to":")" + to
                       + R"(","type":"text","text":{"body":")" + text
                       + R"("}})"};
  }

  /// Outcomes of `n` jobs sent before, within `timeout`.
  std::vector<cloud_outcome> outcomes(caf::scoped_actor& self, size_t n,
                                      caf::timespan timeout = 10s) {
    std::vector<cloud_outcome> out;
    for (size_t i = 0; i < n; ++i)
      self->receive([&](cloud_outcome& o) { out.push_back(o); },
                    caf::after(timeout) >> [&] {});
    return out;
  }

  std::map<std::string, std::string> recorded(std::vector<std::string> ids) {
    pqxx::connection c{db.uri()};
    return cloud_wamids_of(c, ids);
  }
};

} // namespace

TEST_CASE("a pair rate limit holds back that recipient only, in order") {
  fixture f;
  f.cloud.pair_limit["111"] = 2;
  caf::scoped_actor self{f.sys};
  self->send(f.sender, cloud_send_atom::value, fixture::job("111", "a1"));
  self->send(f.sender, cloud_send_atom::value, fixture::job("111", "a2"));
  self->send(f.sender, cloud_send_atom::value, fixture::job("222", "b1"));
  auto out = f.outcomes(self, 3);
  REQUIRE(out.size() == 3);
  for (auto& o : out)
    CHECK(o.result == cloud_result::sent);
  auto taken = f.cloud.taken();
  REQUIRE(taken.size() == 3);
  // The other user was not held back; the limited one kept its order.
  CHECK(taken[0] == "222:b1");
  CHECK(taken[1] == "111:a1");
  CHECK(taken[2] == "111:a2");
  CHECK(f.ctx->counters().pair_limited == 2);
  auto wamids = f.recorded({"id-a1", "id-a2", "id-b1"});
  CHECK(wamids["id-a1"] == "wamid.a1");
  CHECK(wamids.size() == 3);
  // A status arriving now finds our id in memory already.
  auto known = f.ctx->recall("wamid.b1");
  REQUIRE(known);
  CHECK(known->id == "id-b1");
}

TEST_CASE("a refused token stops every send, fails none, and a new token "
          "resumes them") {
  fixture f;
  f.write_token("EAAG-expired");
  f.ctx->token().reload();
  caf::scoped_actor self{f.sys};
  self->send(f.sender, cloud_send_atom::value, fixture::job("111", "t1"));
  // Nothing ends while the token is refused.
  auto none = f.outcomes(self, 1, 1500ms);
  CHECK(none.empty());
  CHECK(f.ctx->counters().token_refused >= 1);
  CHECK(f.ctx->token().status() == "token_expired");
  auto calls = f.cloud.calls.load();
  std::this_thread::sleep_for(1200ms);
  // Stopped: no call per tick with the refused token.
  CHECK(f.cloud.calls.load() == calls);
  f.write_token(f.cloud.good_token);
  f.ctx->token().reload();
  auto out = f.outcomes(self, 1);
  REQUIRE(out.size() == 1);
  CHECK(out[0].result == cloud_result::sent);
  CHECK(out[0].wamid == "wamid.t1");
}

TEST_CASE("a permanent refusal ends the message failed with the On-Prem "
          "code") {
  fixture f;
  caf::scoped_actor self{f.sys};
  self->send(f.sender, cloud_send_atom::value, fixture::job("111", "bad"));
  auto out = f.outcomes(self, 1);
  REQUIRE(out.size() == 1);
  CHECK(out[0].result == cloud_result::failed);
  CHECK(out[0].code != 0);
  CHECK(f.recorded({"id-bad"}).empty());
}

TEST_CASE("a throughput refusal slows the node down and the message still "
          "goes") {
  fixture f;
  f.cloud.throttle = 1;
  caf::scoped_actor self{f.sys};
  self->send(f.sender, cloud_send_atom::value, fixture::job("111", "s1"));
  auto out = f.outcomes(self, 1);
  REQUIRE(out.size() == 1);
  CHECK(out[0].result == cloud_result::sent);
  CHECK(f.ctx->counters().throttled == 1);
  CHECK(f.ctx->pacer().rate() == doctest::Approx(500));
}

TEST_CASE("a fenced epoch sends nothing") {
  fixture f;
  f.ctx->fence(0, 1);
  caf::scoped_actor self{f.sys};
  self->send(f.sender, cloud_send_atom::value, fixture::job("111", "f1", 1));
  auto out = f.outcomes(self, 1);
  REQUIRE(out.size() == 1);
  CHECK(out[0].result == cloud_result::fenced);
  CHECK(f.cloud.calls == 0);
  // A newer epoch of the shard is not fenced.
  self->send(f.sender, cloud_send_atom::value, fixture::job("111", "f2", 2));
  out = f.outcomes(self, 1);
  REQUIRE(out.size() == 1);
  CHECK(out[0].result == cloud_result::sent);
}
