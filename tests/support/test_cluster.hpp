#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/processes.hpp"
#include "support/test_db.hpp"

namespace mc::test {

/// A real multi-process cluster on loopback for end-to-end tests: its own
/// scratch database, nodes started as child processes of the multiconnect
/// binary, logs in a temp dir. Everything is killed when it goes away.
class test_cluster {
public:
  explicit test_cluster(const std::string& name);
  /// The same with its database on the PostgreSQL at `pg_base`.
  test_cluster(const std::string& name, const std::string& pg_base);
  ~test_cluster();

  /// Turns on mutual TLS for the nodes started from now on: a private CA
  /// in the cluster's temp dir (deploy/ca) and one certificate per node.
  void use_tls();

  /// The directory of the CA and the nodes' certificates ("" without TLS).
  const std::string& tls_dir() const { return tls_dir_; }

  /// Starts a node; `extra` flags are appended. Returns the process.
  child_process& start(const std::string& role, const std::string& node_id,
                       std::vector<std::string> extra = {});

  /// Starts a node as `start` does, its command line prefixed with
  /// `wrapper` (e.g. {"ip", "netns", "exec", "ns1"}: a node on its own
  /// host).
  child_process& start_wrapped(const std::vector<std::string>& wrapper,
                               const std::string& role,
                               const std::string& node_id,
                               std::vector<std::string> extra = {});

  /// Starts `node_id` again with the command line it was last started
  /// with (a restart after a stop; the old process is reaped first).
  child_process& restart(const std::string& node_id);

  /// Sets the shard count of a fresh cluster once the primary master made
  /// the schema (mc_set_initial_shards, as deploy/up does), before any
  /// coreapp starts. False if the schema does not appear within `timeout`.
  bool set_initial_shards(int shards, std::chrono::milliseconds timeout);

  /// Starts the upstream simulator with a query port (see sim_http_port).
  child_process& start_sim(std::vector<std::string> extra = {});

  /// Starts a webapp on a free port (see http_port).
  child_process& start_webapp(const std::string& node_id = "w1",
                              std::vector<std::string> extra = {});

  child_process& node(const std::string& node_id) {
    return *nodes_.at(node_id);
  }

  /// Kills a node for good (SIGKILL, reaped).
  void kill(const std::string& node_id);

  const std::string& db_uri() const { return db_.uri(); }
  uint16_t http_port() const { return http_port_; }
  uint16_t sim_http_port() const { return sim_http_port_; }

  /// One-value SQL query on the cluster database, as text ("" for NULL, no
  /// row or an error such as a schema that is not there yet).
  std::string query(const std::string& sql) const;

  /// Runs `sql` in a read-write transaction of its own; false (with the
  /// error in the test log) when it fails.
  bool execute(const std::string& sql) const;

  /// True once `shard` has an owner in the map.
  bool shard_owned(int shard) const;

  /// The node that holds a live master lease, or "".
  std::string lease_holder() const;

  /// Waits until `pred` holds, polling every 10 ms.
  template <class Pred>
  bool wait(Pred pred, std::chrono::milliseconds timeout) {
    return eventually(pred, timeout);
  }

  /// Logs of every node, for failure messages.
  std::string logs() const;

private:
  scratch_db db_;
  std::string dir_;
  uint16_t http_port_ = 0;
  uint16_t sim_http_port_ = 0;
  std::string tls_dir_;
  std::map<std::string, std::unique_ptr<child_process>> nodes_;
  std::map<std::string, std::vector<std::string>> argv_;
};

/// Runs deploy/ca: creates the CA in `dir` if missing and a certificate
/// per name; `extra` adds flags (e.g. "--expired"). True on success.
bool issue_certs(const std::string& dir, const std::vector<std::string>& names,
                 const std::string& extra = "");

/// A bearer token for the admin of a fresh cluster (runs the first-login
/// password change) at the webapp on `host` (default loopback).
std::string admin_token(uint16_t http_port,
                        const std::string& host = "127.0.0.1");

/// Retries admin_token until the webapp answers; "" after `timeout`.
std::string wait_for_admin_token(uint16_t http_port,
                                 std::chrono::milliseconds timeout,
                                 const std::string& host = "127.0.0.1");

} // namespace mc::test
