#include "actors/cloud/cloud_batches.hpp"

namespace mc {

namespace {

/// Ended ids remembered for resubmits; older ones are found in the
/// database (cloud_messages) by the next submit.
constexpr size_t done_cap = 100000;

} // namespace

bool cloud_batches::done(const std::string& id) const {
  return done_.count(id) > 0;
}

bool cloud_batches::in_progress(const std::string& id) const {
  return waiting_.count(id) > 0;
}

void cloud_batches::add(promise p, std::vector<std::string> ids,
                        const std::vector<std::string>& pending) {
  if (pending.empty()) {
    p.deliver(std::move(ids));
    return;
  }
  auto no = next_++;
  for (auto& id : pending)
    waiting_[id].push_back(no);
  batches_.emplace(no, batch{std::move(p), std::move(ids), pending.size()});
}

void cloud_batches::finish(const std::string& id) {
  remember_done(id);
  auto i = waiting_.find(id);
  if (i == waiting_.end())
    return;
  auto nos = std::move(i->second);
  waiting_.erase(i);
  for (auto no : nos) {
    auto b = batches_.find(no);
    if (b == batches_.end() || --b->second.remaining > 0)
      continue;
    auto answer = std::move(b->second.answer);
    auto ids = std::move(b->second.ids);
    batches_.erase(b);
    answer.deliver(std::move(ids));
  }
}

void cloud_batches::fail(const std::string& id, const caf::error& err) {
  auto i = waiting_.find(id);
  if (i == waiting_.end())
    return;
  auto nos = std::move(i->second);
  waiting_.erase(i);
  for (auto no : nos) {
    auto b = batches_.find(no);
    if (b == batches_.end())
      continue;
    auto answer = std::move(b->second.answer);
    batches_.erase(b);
    answer.deliver(err);
  }
}

void cloud_batches::remember_done(const std::string& id) {
  if (!done_.insert(id).second)
    return;
  done_order_.push_back(id);
  if (done_order_.size() > done_cap) {
    done_.erase(done_order_.front());
    done_order_.pop_front();
  }
}

} // namespace mc
