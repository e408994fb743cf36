#include "actors/coreapp/coreapp_stats.hpp"

namespace mc {

stat_samples coreapp_stats::snapshot(int64_t shards_served) const {
  auto load = [](const std::atomic<int64_t>& x) {
    return x.load(std::memory_order_relaxed);
  };
  stat_samples out;
  // On-Prem labels callback_requests by type and result ("success" or the
  // failure); a failed POST here is one result, "error".
  const char* types[] = {"status_change", "inbound_message"};
  for (size_t t = 0; t < 2; ++t) {
    out.push_back({"callback_requests", {"result", "success", "type", types[t]},
                   load(callbacks_[t * 2])});
    out.push_back({"callback_requests", {"result", "error", "type", types[t]},
                   load(callbacks_[t * 2 + 1])});
  }
  out.push_back({"messages_committed", {}, load(committed_)});
  out.push_back({"messages_acked", {}, load(acked_)});
  out.push_back({"contacts_checked", {}, load(contacts_)});
  out.push_back({"shards_served", {}, shards_served});
  return out;
}

} // namespace mc
