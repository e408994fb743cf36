#include "actors/master/placement.hpp"

#include <map>

namespace mc {

placement::placement(std::set<std::string> serving, std::set<std::string> live)
  : serving_(std::move(serving)), live_(std::move(live)) {
}

std::string placement::pick_standby(const std::vector<shard_slot>& slots) const {
  std::map<std::string, int> load;
  for (auto& id : live_)
    load[id] = 0;
  for (auto& slot : slots)
    if (load.count(slot.owner))
      load[slot.owner]++;
  std::string best;
  int best_load = 1 << 30;
  for (auto& [id, n] : load)
    if (n < best_load) {
      best = id;
      best_load = n;
    }
  return best;
}

std::vector<placement_move>
placement::moves(const std::vector<shard_slot>& slots,
                 const std::set<int32_t>& busy) const {
  std::vector<placement_move> out;
  // The map as it will be once the moves before are done.
  auto after = slots;
  for (auto& slot : after) {
    if (busy.count(slot.shard_id))
      continue;
    if (!slot.owner.empty() && serving_.count(slot.owner))
      continue;
    auto target = pick_standby(after);
    if (target.empty() && slot.owner.empty())
      continue;
    out.push_back({slot.shard_id, slot.owner, target});
    slot.owner = target;
  }
  return out;
}

} // namespace mc
