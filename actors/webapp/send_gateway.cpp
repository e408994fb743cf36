#include "actors/webapp/send_gateway.hpp"

#include <caf/all.hpp>

#include "runtime/log.hpp"

namespace mc {

namespace {

using self_ptr = caf::stateful_actor<send_gateway_state>*;

/// Takes the promises of a batch out of the waiting set; empty when the
/// batch was answered already (its node went down first).
std::vector<std::shared_ptr<std::promise<send_outcome>>>
take(self_ptr self, uint64_t batch, const caf::actor_addr& node) {
  auto& st = self->state;
  std::vector<std::shared_ptr<std::promise<send_outcome>>> out;
  auto i = st.waiting.find(batch);
  if (i == st.waiting.end())
    return out;
  out = std::move(i->second);
  st.waiting.erase(i);
  auto j = st.by_node.find(node);
  if (j != st.by_node.end())
    j->second.erase(batch);
  return out;
}

caf::error code_to_error(int32_t code) {
  return make_error(static_cast<mc_errc>(code));
}

void send_batch(self_ptr self, gateway_batch&& b) {
  auto& st = self->state;
  // A line per 20,000 sends: the batch size says how much the hop to the
  // coreapps is amortised.
  auto before = st.sent_total;
  st.sent_total += b.items.size();
  ++st.batches;
  if (before / 20000 != st.sent_total / 20000) {
    log_info("send_gateway", st.sent_total, " sends; ",
             (st.sent_total - st.reported) / st.batches,
             " per batch since the last report");
    st.batches = 0;
    st.reported = st.sent_total;
  }
  auto addr = b.node.address();
  if (st.monitored.insert(addr).second)
    self->monitor(b.node);
  auto no = st.next_batch++;
  st.waiting.emplace(no, std::move(b.done));
  st.by_node[addr].insert(no);
  // Typed, so the message is checked against the node's send interface.
  auto node = caf::actor_cast<send_actor>(b.node);
  self->request(node, b.timeout, send_batch_atom::value, std::move(b.items))
    .then(
      [=](const send_codes& codes) {
        auto done = take(self, no, addr);
        for (size_t i = 0; i < done.size(); ++i) {
          if (i < codes.size() && codes[i] == 0)
            done[i]->set_value(send_outcome{true, {}});
          else
            done[i]->set_value(send_outcome{
              false, i < codes.size() ? code_to_error(codes[i])
                                      : make_error(mc_errc::not_owner)});
        }
      },
      [=](caf::error& err) {
        for (auto& d : take(self, no, addr))
          d->set_value(send_outcome{false, err});
      });
}

void flush(self_ptr self) {
  auto& st = self->state;
  st.flush_scheduled = false;
  auto filling = std::move(st.filling);
  st.filling.clear();
  for (auto& [addr, b] : filling)
    send_batch(self, std::move(b));
}

} // namespace

caf::behavior send_gateway(caf::stateful_actor<send_gateway_state>* self) {
  return lingering_send_gateway(self, 0);
}

caf::behavior lingering_send_gateway(
  caf::stateful_actor<send_gateway_state>* self, int linger_us) {
  self->state.linger = std::chrono::microseconds{linger_us};
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    st.monitored.erase(dm.source);
    auto j = st.by_node.find(dm.source);
    if (j == st.by_node.end())
      return;
    auto batches = std::move(j->second);
    st.by_node.erase(j);
    for (auto no : batches) {
      auto i = st.waiting.find(no);
      if (i == st.waiting.end())
        continue;
      for (auto& d : i->second)
        d->set_value(send_outcome{
          false, caf::make_error(caf::sec::request_receiver_down)});
      st.waiting.erase(i);
    }
  });
  return {
    [=](send_job& job) {
      auto& st = self->state;
      auto& b = st.filling[job.node.address()];
      if (!b.node) {
        b.node = job.node;
        b.timeout = job.timeout;
      }
      b.timeout = std::min(b.timeout, job.timeout);
      b.items.push_back(std::move(job.item));
      b.done.push_back(std::move(job.done));
      if (b.items.size() >= st.max_batch) {
        auto full = std::move(b);
        st.filling.erase(job.node.address());
        send_batch(self, std::move(full));
      } else if (!st.flush_scheduled) {
        // Queued behind the jobs already in the mailbox: everything that
        // arrived meanwhile leaves in one batch.
        st.flush_scheduled = true;
        if (st.linger.count() > 0)
          self->delayed_send(self, st.linger, caf::flush_atom::value);
        else
          self->send(self, caf::flush_atom::value);
      }
    },
    [=](caf::flush_atom) { flush(self); },
  };
}

} // namespace mc
