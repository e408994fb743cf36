#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

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

/// The account name a shard session logs in with: "<cc><phone_number>", or
/// "default" before an account is registered.
std::string load_account(pqxx::connection& conn);

} // namespace mc
