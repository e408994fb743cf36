#include "actors/cloud/cloud_status_resolver.hpp"

#include "runtime/log.hpp"
#include "runtime/store/cloud_store.hpp"

namespace mc {

cloud_status_resolver::cloud_status_resolver(
  std::shared_ptr<cloud_context> ctx)
  : ctx_(std::move(ctx)) {
  // nop
}

std::optional<std::vector<upstream_receipt>>
cloud_status_resolver::resolve(const std::vector<upstream_receipt>& statuses,
                               std::time_t now) {
  std::vector<upstream_receipt> out;
  out.reserve(statuses.size());
  for (auto& s : statuses) {
    // Our own sent status left when the Cloud API took the message (as
    // On-Prem's did when its servers took it); the Cloud's would repeat it.
    if (s.status == "sent")
      continue;
    auto sent = ctx_->recall(s.id);
    if (!sent)
      sent = ctx_->db().with(
        [&](pqxx::connection& c) { return cloud_message_of(c, s.id); });
    if (!sent) {
      if (now - s.timestamp < give_up_s)
        return std::nullopt;
      ++ctx_->counters().unmatched_statuses;
      log_error("cloud", "dropping a ", s.status,
                " status of unknown wamid ", s.id);
      continue;
    }
    auto r = s;
    r.id = sent->id;
    if (r.recipient.empty())
      r.recipient = sent->recipient;
    out.push_back(std::move(r));
  }
  return out;
}

} // namespace mc
