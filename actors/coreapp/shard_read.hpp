#pragma once

#include <cstdint>
#include <string>

#include <caf/result.hpp>

#include "actors/coreapp/shard.hpp"

namespace mc {

/// A shard's part of mark-as-read (actors/protocol/read.hpp): refuses with
/// not_owner unless the shard is `shard` at `epoch`, else hands the read
/// receipt of `id` (sent by `sender`) to the upstream through the shard's
/// session and answers once the upstream did.
caf::result<caf::ok_atom>
shard_mark_read(shard_actor::stateful_pointer<shard_state> self, int32_t shard,
                int64_t epoch, std::string id, std::string sender);

} // namespace mc
