#include "runtime/shard_hash.hpp"

#include "runtime/cloud/cloud_user_id.hpp"

namespace mc {

std::string normalize_recipient(std::string_view recipient) {
  std::string out;
  out.reserve(recipient.size());
  for (char c : recipient)
    if (c >= '0' && c <= '9')
      out.push_back(c);
  return out;
}

uint64_t recipient_hash(std::string_view digits) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : digits) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

int32_t shard_of(std::string_view recipient, int32_t shards) {
  if (shards <= 1)
    return 0;
  // A BSUID is no phone number: its digits alone could be one.
  auto key = is_bsuid(recipient) ? std::string{recipient}
                                 : normalize_recipient(recipient);
  return static_cast<int32_t>(recipient_hash(key)
                              % static_cast<uint64_t>(shards));
}

bool valid_shard_count(int64_t shards) {
  switch (shards) {
    case 1: case 2: case 4: case 8: case 16: case 32:
      return true;
    default:
      return false;
  }
}

} // namespace mc
