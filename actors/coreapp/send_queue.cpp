#include "actors/coreapp/send_queue.hpp"

#include <algorithm>
#include <iterator>

namespace mc {

std::shared_ptr<batch_reply>
batch_reply::make(caf::typed_response_promise<send_codes> promise, size_t n) {
  auto reply = std::make_shared<batch_reply>();
  reply->promise = std::move(promise);
  reply->codes.resize(n, 0);
  reply->remaining = n;
  if (n == 0)
    reply->promise.deliver(send_codes{});
  return reply;
}

void batch_reply::set(size_t index, int32_t code) {
  codes[index] = code;
  if (--remaining == 0)
    promise.deliver(codes);
}

void batch_reply::refuse_all(mc_errc code) {
  for (size_t i = 0; i < codes.size(); ++i)
    set(i, code_of(code));
}

void fail(std::vector<waiting_send>& xs, mc_errc code) {
  for (auto& w : xs)
    w.batch->set(w.index, code_of(code));
  xs.clear();
}

mc_errc send_queue::admit(std::vector<send_item>& items,
                          const std::shared_ptr<batch_reply>& reply) {
  if (waiting_.size() + in_commit_ + unacked_ + items.size() > max_queue_)
    return mc_errc::overloaded;
  for (size_t i = 0; i < items.size(); ++i)
    waiting_.push_back({{std::move(items[i].id), std::move(items[i].recipient),
                         std::move(items[i].payload),
                         std::move(items[i].type)},
                        reply,
                        i});
  return mc_errc::none;
}

std::vector<waiting_send> send_queue::start_commit(size_t n) {
  n = std::min(n, waiting_.size());
  std::vector<waiting_send> out(std::make_move_iterator(waiting_.begin()),
                                std::make_move_iterator(waiting_.begin() + n));
  waiting_.erase(waiting_.begin(), waiting_.begin() + n);
  in_commit_ = n;
  return out;
}

void send_queue::acked(size_t n) {
  unacked_ -= std::min(unacked_, n);
}

} // namespace mc
