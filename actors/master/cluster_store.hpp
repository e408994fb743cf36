#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <pqxx/connection>

#include "runtime/store/db_connection.hpp"
#include "runtime/store/node_registry.hpp"
#include "runtime/store/shard_map_store.hpp"

namespace mc {

/// What the supervisor reads and writes of the cluster's state. The
/// PostgreSQL implementation is the real one; tests give the supervisor an
/// in-memory one to run it on CAF's deterministic scheduler.
class cluster_store {
public:
  virtual ~cluster_store() = default;
  /// Registered coreapps, each with `live` judged by the one liveness rule
  /// (mc_node_live) against `unhealthy`.
  virtual std::vector<node_record> coreapps(std::chrono::milliseconds unhealthy)
    = 0;
  /// Registered webapps (the master pushes shard maps to them), `live` as
  /// for coreapps.
  virtual std::vector<node_record> webapps(std::chrono::milliseconds unhealthy)
    = 0;
  /// Shard count and map.
  virtual shard_table load_table() = 0;
  /// Creates missing map rows below the shard count; returns how many.
  virtual int ensure_shard_rows() = 0;
  /// See cas_shard_owner().
  virtual std::optional<int64_t>
  cas_owner(int32_t shard, int64_t expected_epoch, const std::string& owner,
            const std::string& master, int64_t master_epoch) = 0;
  /// The shard count a shard-count change asks for, if any.
  virtual std::optional<int32_t> pending_reshard() = 0;
  /// See commit_reshard().
  virtual bool commit_reshard(int32_t shards, const std::string& master,
                              int64_t master_epoch) = 0;
  /// The account sessions log in with.
  virtual std::string account() = 0;
  /// Called after a failure: drop connections, start clean next time.
  virtual void reset() {
  }
};

/// The cluster store in PostgreSQL, on one connection of its own.
class pg_cluster_store : public cluster_store {
public:
  explicit pg_cluster_store(std::string db_uri);
  ~pg_cluster_store() override;
  std::vector<node_record>
  coreapps(std::chrono::milliseconds unhealthy) override;
  std::vector<node_record>
  webapps(std::chrono::milliseconds unhealthy) override;
  shard_table load_table() override;
  int ensure_shard_rows() override;
  std::optional<int64_t> cas_owner(int32_t shard, int64_t expected_epoch,
                                   const std::string& owner,
                                   const std::string& master,
                                   int64_t master_epoch) override;
  std::optional<int32_t> pending_reshard() override;
  bool commit_reshard(int32_t shards, const std::string& master,
                      int64_t master_epoch) override;
  std::string account() override;
  void reset() override;

private:
  pqxx::connection& conn();
  db_connection db_;
};

} // namespace mc
