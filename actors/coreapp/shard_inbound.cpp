#include "actors/coreapp/shard_inbound.hpp"

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "runtime/log.hpp"

namespace mc {

namespace {

using self_ptr = shard_actor::stateful_pointer<shard_state>;

void pass_on(self_ptr self,
             std::vector<std::vector<inbound_message>> batches) {
  for (auto& xs : batches)
    self->state.events.inbound(xs);
}

} // namespace

void shard_inbound(self_ptr self, std::vector<inbound_message> xs) {
  auto& st = self->state;
  std::vector<std::string> ids;
  if (st.cfg.media && st.cfg.upstream)
    for (auto& m : xs)
      for (auto& id : inbound_media_gate::media_ids(m))
        ids.push_back(std::move(id));
  if (ids.empty() && st.inbound_media.empty()) {
    st.events.inbound(xs);
    return;
  }
  auto ticket = st.inbound_media.add(std::move(xs), ids.size());
  if (ids.empty())
    return; // waits behind the batches still fetching
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
}

void shard_inbound_flush(self_ptr self) {
  pass_on(self, self->state.inbound_media.take_all());
}

} // namespace mc
