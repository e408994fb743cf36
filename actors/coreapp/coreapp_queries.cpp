#include "actors/coreapp/coreapp_queries.hpp"

#include <caf/all.hpp>

#include "actors/protocol/errors.hpp"

namespace mc {

caf::result<std::string, stat_samples> app_stats_of(coreapp_node_ptr self) {
  auto& st = self->state;
  return {st.cfg.node_id,
          st.cfg.stats->snapshot(static_cast<int64_t>(st.shards.size()))};
}

caf::result<contact_checks> check_contacts(coreapp_node_ptr self,
                                           int32_t shard, int64_t epoch,
                                           std::vector<std::string> numbers) {
  auto& st = self->state;
  auto i = st.shards.find(shard);
  if (i == st.shards.end() || i->second.epoch != epoch)
    return make_error(mc_errc::not_owner, "shard not served here");
  if (!st.cfg.upstream)
    return make_error(mc_errc::not_owner, "no upstream connection");
  st.cfg.stats->contacts_checked(static_cast<int64_t>(numbers.size()));
  // The upstream handle is dynamically typed underneath (a remote proxy):
  // it speaks the contacts protocol as well as the session one.
  auto upstream = caf::actor_cast<upstream_contacts_actor>(st.cfg.upstream);
  auto rp = self->make_response_promise<contact_checks>();
  self
    ->request(upstream, contacts_upstream_timeout, contacts_atom::value,
              st.cfg.settings->account(), std::move(numbers))
    .then([=](contact_checks& checks) mutable { rp.deliver(std::move(checks)); },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

} // namespace mc
