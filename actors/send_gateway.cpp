#include "actors/send_gateway.hpp"

#include <caf/all.hpp>

#include "actors/protocol.hpp"

namespace mc {

namespace {

using self_ptr = caf::stateful_actor<send_gateway_state>*;

void finish(self_ptr self, uint64_t job, const caf::actor_addr& node,
            send_outcome outcome) {
  auto& st = self->state;
  auto i = st.waiting.find(job);
  if (i == st.waiting.end())
    return; // answered already (node down before its reply)
  i->second->set_value(std::move(outcome));
  st.waiting.erase(i);
  auto j = st.by_node.find(node);
  if (j != st.by_node.end())
    j->second.erase(job);
}

} // namespace

caf::behavior send_gateway(caf::stateful_actor<send_gateway_state>* self) {
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    st.monitored.erase(dm.source);
    auto j = st.by_node.find(dm.source);
    if (j == st.by_node.end())
      return;
    auto jobs = std::move(j->second);
    st.by_node.erase(j);
    for (auto job : jobs) {
      auto i = st.waiting.find(job);
      if (i == st.waiting.end())
        continue;
      i->second->set_value(
        send_outcome{false, caf::make_error(caf::sec::request_receiver_down)});
      st.waiting.erase(i);
    }
  });
  return {
    [=](send_job& job) {
      auto& st = self->state;
      auto addr = job.node.address();
      if (st.monitored.insert(addr).second)
        self->monitor(job.node);
      auto no = st.next_job++;
      st.waiting.emplace(no, job.done);
      st.by_node[addr].insert(no);
      self
        ->request(job.node, job.timeout, send_atom::value, job.shard, job.epoch,
                  std::move(job.id), std::move(job.recipient),
                  std::move(job.body))
        .then(
          [=](const std::string&) {
            finish(self, no, addr, send_outcome{true, {}});
          },
          [=](caf::error& err) {
            finish(self, no, addr, send_outcome{false, std::move(err)});
          });
    },
  };
}

} // namespace mc
