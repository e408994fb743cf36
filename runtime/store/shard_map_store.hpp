#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "runtime/store/cluster_config.hpp"

namespace mc {

/// One row of `shard_map`, joined with the owner's address when known.
struct shard_slot {
  int32_t shard_id = 0;
  std::string owner; ///< empty when unowned
  int64_t epoch = 0;
  std::string host;  ///< owner's advertised host (empty when unowned)
  int caf_port = 0;
};

/// The cluster's shard count and map.
struct shard_table {
  int32_t shards = 1;
  int64_t config_epoch = 0;
  std::vector<shard_slot> slots; ///< ordered by shard id
};

/// Reads the shard count and the map (with owner addresses).
shard_table load_shard_table(pqxx::connection& conn);

/// Moves `shard` from epoch `expected_epoch` to `new_owner` (empty: unowned)
/// with the next epoch, only while `master` holds the lease with
/// `master_epoch`: a deposed master cannot change ownership. Returns the new
/// epoch, or nullopt when either compare-and-set failed.
std::optional<int64_t> cas_shard_owner(pqxx::connection& conn, int32_t shard,
                                       int64_t expected_epoch,
                                       const std::string& new_owner,
                                       const std::string& master,
                                       int64_t master_epoch);

/// Creates the missing `shard_map` rows for shards below the cluster's
/// count (unowned, at a fresh epoch, by mc_add_missing_shards in
/// schema/003_rules.sql). Returns how many were created.
int ensure_shard_rows(pqxx::connection& conn);

/// The heart of a shard-count change, in one transaction fenced by the
/// master lease: the new count, a new unowned map whose epochs are above
/// every old epoch, and every pending message and callback re-homed to
/// `hash(recipient) % shards`. Either all of it happens or none. False when
/// `master` does not hold the lease with `master_epoch`.
bool commit_reshard(pqxx::connection& conn, int32_t shards,
                    const std::string& master, int64_t master_epoch);

} // namespace mc
