#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "runtime/db_pool.hpp"

namespace mc {

/// Where a webapp sends a shard's messages.
struct shard_route {
  int32_t shard = 0;
  int64_t epoch = 0;
  std::string owner;
  caf::actor node; ///< the owner's coreapp node actor; empty when unowned
};

/// The webapp's in-memory copy of the shard map, with connections to the
/// owning coreapps. Read by every HTTP thread, refreshed from the database
/// by a background loop and on demand after a routing error.
class routing_table {
public:
  routing_table(caf::actor_system& sys, std::shared_ptr<db_pool> db);

  /// The current shard count.
  int32_t shards() const;

  /// The route of `shard`, or nullopt if the shard is unowned or its owner
  /// is unreachable.
  std::optional<shard_route> route(int32_t shard) const;

  /// Reloads the map from the database and connects to new owners.
  /// Concurrent callers share one reload. Returns false on database errors.
  bool refresh();

  /// Refreshes unless a refresh finished less than `min_age` ago.
  void refresh_if_older(std::chrono::milliseconds min_age);

  /// Forgets the connection to `owner` (it failed), so the next refresh
  /// reconnects.
  void drop_connection(const std::string& owner);

private:
  caf::actor connect(const std::string& host, uint16_t port);

  caf::actor_system& sys_;
  std::shared_ptr<db_pool> db_;
  mutable std::mutex mtx_;
  std::mutex refresh_mtx_;
  int32_t shards_ = 1;
  std::vector<shard_route> routes_;
  struct peer {
    std::string host;
    int port = 0;
    caf::actor handle;
  };
  std::map<std::string, peer> peers_;
  std::chrono::steady_clock::time_point last_refresh_;
};

} // namespace mc
