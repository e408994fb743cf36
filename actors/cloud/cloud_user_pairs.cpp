#include "actors/cloud/cloud_user_pairs.hpp"

#include "runtime/cloud/cloud_user_id.hpp"
#include "runtime/shard_hash.hpp"
#include "runtime/store/cloud_store.hpp"

namespace mc {

cloud_user_pairs::cloud_user_pairs(std::shared_ptr<cloud_context> ctx)
  : ctx_(std::move(ctx)) {
  // nop
}

void cloud_user_pairs::learn(const std::vector<upstream_receipt>& statuses,
                             const std::vector<inbound_message>& messages) {
  std::map<std::string, std::string> fresh;
  auto add = [&](const std::string& user, const std::string& phone) {
    if (user.empty() || phone.empty() || is_bsuid(phone))
      return;
    auto digits = normalize_recipient(phone);
    auto i = known_.find(user);
    if (digits.empty() || (i != known_.end() && i->second == digits))
      return;
    fresh[user] = digits;
  };
  for (auto& s : statuses)
    add(s.user_id, s.recipient);
  for (auto& m : messages)
    add(m.user_id, m.from);
  if (fresh.empty())
    return;
  ctx_->db().with([&](pqxx::connection& c) {
    record_cloud_users(c, fresh);
    return 0;
  });
  for (auto& [user, phone] : fresh) {
    if (known_.count(user) == 0)
      order_.push_back(user);
    known_[user] = phone;
  }
  while (order_.size() > remembered) {
    known_.erase(order_.front());
    order_.pop_front();
  }
}

} // namespace mc
