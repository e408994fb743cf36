#include "actors/coreapp/shard_read.hpp"

#include <caf/all.hpp>

#include "actors/protocol/errors.hpp"
#include "actors/protocol/read.hpp"

namespace mc {

caf::result<caf::ok_atom>
shard_mark_read(shard_actor::stateful_pointer<shard_state> self, int32_t shard,
                int64_t epoch, std::string id, std::string sender) {
  auto& cfg = self->state.cfg;
  if (shard != cfg.shard || epoch != cfg.epoch)
    return make_error(mc_errc::not_owner, "shard " + std::to_string(shard)
                                            + " is not served at that epoch");
  if (!cfg.upstream)
    return make_error(mc_errc::upstream_refused, "no upstream");
  auto rp = self->make_response_promise<caf::ok_atom>();
  self
    ->request(cfg.upstream, timeouts::upstream_read, mark_read_atom::value,
              cfg.account, cfg.shard, cfg.epoch, std::move(id),
              std::move(sender))
    .then([=](caf::ok_atom) mutable { rp.deliver(caf::ok_atom::value); },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

} // namespace mc
