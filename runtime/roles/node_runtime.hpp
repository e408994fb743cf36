#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "runtime/settings_cache.hpp"
#include "runtime/db_pool.hpp"
#include "runtime/store/cluster_config.hpp"
#include "runtime/store/node_registry.hpp"
#include "runtime/options.hpp"

namespace mc {

/// Set by SIGINT/SIGTERM; every role's main loop ends when it turns true.
std::atomic<bool>& stop_requested();

/// Routes SIGINT and SIGTERM to `stop_requested`.
void install_signal_handlers();

/// Sleeps up to `ms` milliseconds, waking early on a stop request.
void sleep_unless_stopped(int ms);

/// Blocks until the database schema is at least the version this binary
/// needs, saying so once while it waits. False if stopped meanwhile.
bool wait_for_schema(const options& opts);

/// The `nodes` row describing this process.
node_record self_record(const options& opts, int caf_port, int http_port,
                        node_state state);

/// Heartbeats in the `nodes` table every `opts.node_heartbeat_ms` until a
/// stop request, re-registering if the row vanished; refreshes `settings`
/// when given; calls `extra` each round. On the stop request it calls
/// `before_stopped` (a planned stop's handoff, while the row still says the
/// node is there), then marks the node stopped.
void run_heartbeats(const options& opts, db_pool& db, const node_record& self,
                    const std::function<node_state()>& state,
                    const std::shared_ptr<settings_cache>& settings = nullptr,
                    const std::function<void()>& extra = {},
                    const std::function<void()>& before_stopped = {});

/// Role entry points, each returns the process exit code.
int run_master(const options& opts);
int run_coreapp(const options& opts);
int run_webapp(const options& opts);
int run_upstream_sim(const options& opts);
int run_cloud_sim(const options& opts);

} // namespace mc
