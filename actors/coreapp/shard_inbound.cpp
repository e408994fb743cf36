#include "actors/coreapp/shard_inbound.hpp"
#include "actors/coreapp/shard_callbacks.hpp"

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "runtime/log.hpp"

namespace mc {

namespace {

using self_ptr = shard_actor::stateful_pointer<shard_state>;

/// Batches leave the gate in the order they entered it, so their acks
/// are the oldest ones held.
void pass_on(self_ptr self,
             std::vector<std::vector<inbound_message>> batches) {
  auto& acks = self->state.inbound_acks;
  for (auto& xs : batches) {
    if (acks.empty())
      return; // cannot happen: one ack per held batch
    auto ack = std::move(acks.front());
    acks.pop_front();
    shard_write_inbound(self, xs, std::move(ack));
  }
}

} // namespace

caf::result<caf::ok_atom> shard_inbound(self_ptr self, int32_t shard,
                                        int64_t epoch,
                                        std::vector<inbound_message> xs) {
  if (auto err = shard_push_refusal(self, shard, epoch))
    return err;
  auto& st = self->state;
  ++st.push_writes;
  auto rp = self->make_response_promise<caf::ok_atom>();
  std::vector<std::string> ids;
  if (st.cfg.media && st.cfg.upstream)
    for (auto& m : xs)
      for (auto& id : inbound_media_gate::media_ids(m))
        ids.push_back(std::move(id));
  if (ids.empty() && st.inbound_media.empty()) {
    shard_write_inbound(self, xs, rp);
    return rp;
  }
  auto ticket = st.inbound_media.add(std::move(xs), ids.size());
  st.inbound_acks.push_back(rp);
  if (ids.empty())
    return rp; // waits behind the batches still fetching
  auto upstream = caf::actor_cast<upstream_media_actor>(st.cfg.upstream);
  auto who = "shard " + std::to_string(st.cfg.shard);
  for (auto& id : ids)
    self
      ->request(st.cfg.media, inbound_media_wait, fetch_media_atom::value,
                st.cfg.account, upstream, id)
      .then(
        [self, ticket](caf::ok_atom) {
          pass_on(self, self->state.inbound_media.fetched(ticket));
        },
        [self, ticket, upstream, id, who](caf::error& err) {
          log_error(who, "fetching inbound media ", id, " failed: ",
                    self->system().render(err), "; delivering the message, ",
                    "fetching again later");
          // The reply of the retry goes nowhere: it only fills the store.
          caf::delayed_anon_send(self->state.cfg.media, inbound_media_retry,
                                 fetch_media_atom::value,
                                 self->state.cfg.account, upstream, id);
          pass_on(self, self->state.inbound_media.fetched(ticket));
        });
  return rp;
}

} // namespace mc
