#include "actors/cloud/cloud_status_resolver.hpp"

#include "runtime/cloud/cloud_user_id.hpp"

namespace mc {

cloud_status_resolver::cloud_status_resolver(
  std::shared_ptr<cloud_context> ctx)
  : ctx_(std::move(ctx)) {
  // nop
}

cloud_status_resolver::resolution
cloud_status_resolver::resolve(const std::vector<upstream_receipt>& statuses) {
  resolution out;
  out.receipts.reserve(statuses.size());
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
      out.waiting.push_back(cloud_waiting_status{
        s.id, s.status, routing_key(s.recipient, s.user_id), s.recipient,
        s.user_id, s.timestamp, s.error_code, s.error_title});
      continue;
    }
    auto r = s;
    r.id = sent->id;
    if (r.recipient.empty())
      r.recipient = sent->recipient;
    out.receipts.push_back(std::move(r));
  }
  return out;
}

void cloud_status_resolver::park(const std::vector<cloud_waiting_status>& xs) {
  if (xs.empty())
    return;
  ctx_->db().with([&](pqxx::connection& c) {
    park_cloud_statuses(c, xs);
    return 0;
  });
  ctx_->counters().waiting_statuses += xs.size();
}

std::vector<cloud_status_resolver::matched_receipt>
cloud_status_resolver::matched() {
  auto xs = ctx_->db().with(
    [&](pqxx::connection& c) { return matched_cloud_statuses(c, sweep_limit); });
  std::vector<matched_receipt> out;
  out.reserve(xs.size());
  for (auto& x : xs) {
    auto& w = x.waiting;
    upstream_receipt r{std::move(x.id),
                       w.recipient.empty() ? std::move(x.sent_recipient)
                                           : w.recipient,
                       w.status,
                       w.timestamp,
                       w.error_code,
                       w.error_title,
                       w.user_id};
    out.push_back(matched_receipt{w.routing_key, {w.wamid, w.status},
                                  std::move(r)});
  }
  return out;
}

void cloud_status_resolver::forget(
  const std::vector<std::pair<std::string, std::string>>& keys) {
  if (keys.empty())
    return;
  ctx_->db().with([&](pqxx::connection& c) {
    forget_cloud_statuses(c, keys);
    return 0;
  });
  ctx_->counters().matched_statuses += keys.size();
}

} // namespace mc
