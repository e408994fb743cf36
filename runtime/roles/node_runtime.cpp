#include "runtime/roles/node_runtime.hpp"

#include <chrono>
#include <csignal>
#include <thread>
#include <unistd.h>

#include "runtime/app_settings.hpp"
#include "runtime/log.hpp"
#include "runtime/store/migrations.hpp"
#include "runtime/store/shard_map_store.hpp"

namespace mc {

std::atomic<bool>& stop_requested() {
  static std::atomic<bool> flag{false};
  return flag;
}

namespace {

extern "C" void on_stop_signal(int) {
  stop_requested().store(true);
}

} // namespace

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

void sleep_unless_stopped(int ms) {
  auto deadline = std::chrono::steady_clock::now()
                  + std::chrono::milliseconds{ms};
  while (!stop_requested().load()
         && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds{std::min(ms, 20)});
}

bool wait_for_schema(const options& opts) {
  int needed = latest_migration(opts.schema_dir);
  bool said = false;
  while (!stop_requested().load()) {
    int have = 0;
    try {
      pqxx::connection c{with_network_timeouts(opts.db_uri, 3)};
      have = schema_version(c);
    } catch (const std::exception& e) {
      log_error(opts.node_id, "database: ", e.what());
    }
    if (have >= needed)
      return true;
    if (!said) {
      log_info(opts.node_id, "waiting for the primary master to upgrade the "
                             "schema from version ",
               have, " to ", needed);
      said = true;
    }
    sleep_unless_stopped(200);
  }
  return false;
}

node_record self_record(const options& opts, int caf_port, int http_port,
                        node_state state) {
  node_record n;
  n.node_id = opts.node_id;
  n.role = opts.role;
  n.host = opts.advertise_host;
  n.caf_port = caf_port;
  n.http_port = http_port;
  n.pid = static_cast<int>(::getpid());
  n.version = MC_VERSION;
  n.state = state;
  return n;
}

void run_heartbeats(const options& opts, db_pool& db, const node_record& self,
                    const std::function<node_state()>& state,
                    const std::shared_ptr<settings_cache>& settings,
                    const std::function<void()>& extra,
                    const std::function<void()>& before_stopped) {
  int settings_every = std::max(1, 1000 / opts.node_heartbeat_ms);
  for (int round = 0; !stop_requested().load(); ++round) {
    try {
      db.with([&](pqxx::connection& c) {
        if (!heartbeat_node(c, opts.node_id, state())) {
          auto again = self;
          again.state = state();
          register_node(c, again);
        }
        if (settings && round % settings_every == 0) {
          settings->set(load_settings(c));
          settings->set_account(load_account(c));
        }
        return 0;
      });
    } catch (const std::exception& e) {
      log_error(opts.node_id, "heartbeat failed: ", e.what());
    }
    if (extra)
      extra();
    sleep_unless_stopped(opts.node_heartbeat_ms);
  }
  if (before_stopped)
    before_stopped();
  try {
    db.with([&](pqxx::connection& c) {
      mark_stopped(c, opts.node_id);
      return 0;
    });
  } catch (...) {
    // Nothing to do: a stale heartbeat says the same.
  }
}

} // namespace mc
