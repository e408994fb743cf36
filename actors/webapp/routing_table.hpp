#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>

namespace mc {

/// To the table's filler (the route listener): re-read the map now.
using refresh_atom = caf::atom_constant<caf::atom("refresh")>;
/// To the table's filler: (drop_atom, owner) the connection to `owner`
/// failed; connect again.
using drop_atom = caf::atom_constant<caf::atom("drop")>;

/// Where a webapp sends a shard's messages.
struct shard_route {
  int32_t shard = 0;
  int64_t epoch = 0;
  std::string owner;
  caf::actor node; ///< the owner's coreapp node actor; empty when unowned
};

/// The webapp's in-memory copy of the shard map, read by every HTTP thread.
/// It is passive: the route listener (route_listener.hpp) fills it from the
/// maps the primary master pushes and, as a fallback, from the database;
/// the table only forwards requests for a fresh map to it.
class routing_table {
public:
  /// The current shard count.
  int32_t shards() const;

  /// The route of `shard`, or nullopt if the shard is unowned or its owner
  /// is unreachable. While the shard is held (it drains, moves or
  /// activates) this waits for its release, never past the hold's deadline;
  /// if the shard count changed meanwhile the caller's shard number is
  /// stale and the answer is nullopt.
  std::optional<shard_route> route(int32_t shard) const;

  /// True while sends for `shard` are held (for monitoring and tests).
  bool held(int32_t shard) const;

  /// Installs a map: the routes by shard id, the held shards and when their
  /// hold ends at the latest. Wakes every waiting caller.
  void install(int32_t shards, std::vector<shard_route> routes,
               std::set<int32_t> held,
               std::chrono::steady_clock::time_point hold_until);

  /// Sets the actor that fills the table.
  void set_filler(caf::actor filler);

  /// Asks the filler to re-read the map from the database. Returns at
  /// once: the new map comes in through install(). False without a filler.
  bool refresh();

  /// Like refresh(), unless one was asked for less than `min_age` ago.
  void refresh_if_older(std::chrono::milliseconds min_age);

  /// Forgets the connection to `owner` (it failed): its routes are
  /// unreachable until the filler connects again.
  void drop_connection(const std::string& owner);

private:
  mutable std::mutex mtx_;
  mutable std::condition_variable changed_;
  int32_t shards_ = 1;
  std::vector<shard_route> routes_;
  std::set<int32_t> held_;
  std::chrono::steady_clock::time_point hold_until_;
  caf::actor filler_;
  std::chrono::steady_clock::time_point last_refresh_;
};

} // namespace mc
