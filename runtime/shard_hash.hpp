#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mc {

/// Reduces a recipient to its digits, so "+1 631-555-0000" and "16315550000"
/// name the same user.
std::string normalize_recipient(std::string_view recipient);

/// The 64-bit FNV-1a hash of `digits`. Chosen because it is tiny, fully
/// specified and gives the same value on every platform and compiler.
uint64_t recipient_hash(std::string_view digits);

/// The shard that owns `recipient` in a cluster of `shards` shards:
/// `fnv1a64(normalize_recipient(recipient)) % shards` for a phone number,
/// `fnv1a64(recipient) % shards` for a business-scoped user id (is_bsuid(),
/// runtime/cloud/cloud_user_id.hpp), hashed as it is: its letters and
/// period are part of it. A user known by both is routed by its number:
/// pass routing_key(phone, bsuid) (same header).
int32_t shard_of(std::string_view recipient, int32_t shards);

/// True for the shard counts the On-Prem API allows: 1, 2, 4, 8, 16, 32.
bool valid_shard_count(int64_t shards);

} // namespace mc
