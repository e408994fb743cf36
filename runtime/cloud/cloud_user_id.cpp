#include "runtime/cloud/cloud_user_id.hpp"

#include "runtime/shard_hash.hpp"

namespace mc {

namespace {

bool upper(char c) {
  return c >= 'A' && c <= 'Z';
}

bool alnum(char c) {
  return upper(c) || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

} // namespace

bool is_bsuid(std::string_view id) {
  if (id.size() < 4 || id.size() > max_bsuid_chars)
    return false;
  if (!upper(id[0]) || !upper(id[1]) || id[2] != '.')
    return false;
  auto rest = id.substr(3);
  if (rest.substr(0, 4) == "ENT.")
    rest.remove_prefix(4);
  if (rest.empty())
    return false;
  for (char c : rest)
    if (!alnum(c))
      return false;
  return true;
}

std::string routing_key(std::string_view phone_or_empty,
                        std::string_view bsuid_or_empty) {
  auto digits = normalize_recipient(phone_or_empty);
  if (!digits.empty())
    return digits;
  return std::string{bsuid_or_empty};
}

} // namespace mc
