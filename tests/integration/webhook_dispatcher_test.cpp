#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include <caf/all.hpp>
#include <httplib.h>
#include <pqxx/pqxx>

#include "actors/coreapp/coreapp_node.hpp"
#include "actors/coreapp/webhook_dispatcher.hpp"
#include "actors/lifecycle.hpp"
#include "actors/protocol/register.hpp"
#include "runtime/store/callback_store.hpp"
#include "runtime/store/retention_store.hpp"
#include "runtime/store/migrations.hpp"
#include "support/processes.hpp"
#include "support/test_db.hpp"

/// The webhook dispatcher against a real database and a slow webhook: it
/// keeps at most webhooks.max_concurrent_requests POSTs in flight. The
/// callback queue's reads are fenced by the shard map and its inserts
/// deduplicated by event key.

using namespace mc;
using namespace std::chrono_literals;

namespace {

/// A webhook that holds each POST 150 ms and records the peak of POSTs in
/// flight at once.
struct slow_webhook {
  httplib::Server srv;
  std::thread thread;
  int port = 0;
  std::atomic<int> in_flight{0};
  std::atomic<int> peak{0};
  std::atomic<int> posts{0};

  slow_webhook() {
    srv.new_task_queue = [] { return new httplib::ThreadPool{32}; };
    srv.Post("/hook", [this](const httplib::Request&, httplib::Response& res) {
      int now = ++in_flight;
      int seen = peak.load();
      while (now > seen && !peak.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(150ms);
      --in_flight;
      ++posts;
      res.status = 200;
    });
    port = srv.bind_to_any_port("127.0.0.1");
    thread = std::thread{[this] { srv.listen_after_bind(); }};
  }

  ~slow_webhook() {
    srv.stop();
    thread.join();
  }
};

/// Peak POSTs in flight while a dispatcher with `lanes` concurrent requests
/// and batches of one delivers `n` queued callbacks.
int peak_with(int lanes, int n) {
  test::scratch_db db{"dispatcher"};
  pqxx::connection conn{db.uri()};
  apply_migrations(conn, MC_SOURCE_DIR "/schema");
  std::vector<callback_event> events(
    n, callback_event{"status", R"({"id":"m","recipient_id":"1",)"
                                R"("status":"delivered","timestamp":"1"})"});
  insert_callbacks(conn, 0, events);
  pqxx::nontransaction{conn}.exec(
    "UPDATE shard_map SET owner = 'c1', epoch = 1 WHERE shard_id = 0");
  slow_webhook hook;
  caf::actor_system_config cfg;
  register_protocol(cfg);
  caf::actor_system sys{cfg};
  // The coreapp node's stand-in: it owns shard 0.
  auto node = sys.spawn([]() -> caf::behavior {
    return {[](status_atom) { return std::vector<int32_t>{0}; }};
  });
  auto settings = std::make_shared<settings_cache>();
  app_settings s;
  s.webhook_url = "http://127.0.0.1:" + std::to_string(hook.port) + "/hook";
  s.max_concurrent_requests = lanes;
  settings->set(s);
  webhook_dispatcher_config dc;
  dc.node_id = "c1";
  dc.db_uri = db.uri();
  dc.node = node;
  dc.settings = settings;
  dc.poll = 10ms;
  dc.batch = 1;
  auto dispatcher = sys.spawn<caf::detached>(webhook_dispatcher, dc);
  bool drained = test::eventually([&] { return hook.posts.load() >= n; }, 20s);
  caf::anon_send(dispatcher, stop_atom::value);
  caf::anon_send_exit(node, caf::exit_reason::kill);
  sys.await_all_actors_done();
  REQUIRE(drained);
  return hook.peak.load();
}

} // namespace

TEST_CASE("the dispatcher keeps up to max_concurrent_requests webhook POSTs "
          "in flight, never more") {
  auto peak6 = peak_with(6, 18);
  CHECK(peak6 > 1);
  CHECK(peak6 <= 6);
  auto peak12 = peak_with(12, 24);
  CHECK(peak12 > 6);
  CHECK(peak12 <= 12);
}

TEST_CASE("the callback queue skips an event whose key is queued or posted "
          "lately, and only the shard's owner in the map reads its "
          "callbacks") {
  test::scratch_db db{"callback_fence"};
  pqxx::connection conn{db.uri()};
  apply_migrations(conn, MC_SOURCE_DIR "/schema");
  auto delivered = status_key("m1", "delivered");
  insert_callbacks(conn, 0, {{"status", R"({"id":"m1"})", delivered},
                             {"message", R"({"id":"i1"})", message_key("i1")}});
  // A redelivered push: both events again, and one new.
  insert_callbacks(conn, 0, {{"status", R"({"id":"m1"})", delivered},
                             {"message", R"({"id":"i1"})", message_key("i1")},
                             {"status", R"({"id":"m1"})",
                              status_key("m1", "read")}});
  auto exec = [&](const char* sql) {
    return pqxx::nontransaction{conn}.exec(sql);
  };
  auto queued = [&] {
    return exec("SELECT count(*) FROM callbacks")[0][0].as<int>();
  };
  CHECK(queued() == 3);
  exec("UPDATE shard_map SET owner = 'c1', epoch = 4 WHERE shard_id = 0");
  CHECK(due_callbacks(conn, "c1", {0}, 10).size() == 3);
  // The shard moved: its deposed owner reads nothing, the new one all.
  exec("UPDATE shard_map SET owner = 'c2', epoch = 5 WHERE shard_id = 0");
  CHECK(due_callbacks(conn, "c1", {0}, 10).empty());
  CHECK(due_callbacks(conn, "c2", {0}, 10).size() == 3);
  // Once posted and deleted, the keys stay (schema/015): a redelivery is
  // not queued again until the dedup window has pruned them.
  std::vector<int64_t> ids;
  for (auto& r : due_callbacks(conn, "c2", {0}, 10))
    ids.push_back(r.id);
  delete_callbacks(conn, ids);
  insert_callbacks(conn, 0, {{"status", R"({"id":"m1"})", delivered}});
  CHECK(queued() == 0);
  CHECK(prune_posted_keys(conn, 3600, 100) == 0);
  CHECK(prune_posted_keys(conn, 0, 100) == 3);
  insert_callbacks(conn, 0, {{"status", R"({"id":"m1"})", delivered}});
  CHECK(queued() == 1);
}
