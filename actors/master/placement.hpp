#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "runtime/store/shard_map_store.hpp"

namespace mc {

/// One change of a shard's owner that placement decided.
struct placement_move {
  int32_t shard = 0;
  std::string from; ///< the owner in the map; empty when unowned
  std::string to;   ///< the new owner; empty: record that nobody serves it
};

/// Where shards go, decided from what the supervisor knows of the
/// coreapps: a plain object without actors or database, so that its rules
/// are tested on their own (tests/unit/actors/master/placement_test.cpp).
class placement {
public:
  /// `serving`: coreapps that keep the shards they own (live, or for a new
  /// primary possibly live); `live`: coreapps that may take shards.
  placement(std::set<std::string> serving, std::set<std::string> live);

  /// The live coreapp owning the fewest shards of `slots` (ties: by id);
  /// empty when no coreapp is live.
  std::string pick_standby(const std::vector<shard_slot>& slots) const;

  /// The moves that give every shard of `slots` outside `busy` (shards
  /// with an activation in flight) a serving owner, in shard order. Each
  /// goes to the live coreapp with the fewest shards counting the moves
  /// before it. A shard whose owner is gone and for which no coreapp is
  /// live is moved to nobody; an unowned one then stays as it is.
  std::vector<placement_move> moves(const std::vector<shard_slot>& slots,
                                    const std::set<int32_t>& busy) const;

private:
  std::set<std::string> serving_;
  std::set<std::string> live_;
};

} // namespace mc
