#include "actors/coreapp/coreapp_node.hpp"

#include <caf/all.hpp>

#include "runtime/log.hpp"

namespace mc {

namespace {

using self_ptr = caf::stateful_actor<coreapp_node_state>*;

void stop_shard(self_ptr self, int32_t shard) {
  auto i = self->state.shards.find(shard);
  if (i == self->state.shards.end())
    return;
  self->demonitor(i->second.actor);
  self->send(i->second.actor, stop_atom::value);
  self->state.shards.erase(i);
}

caf::result<caf::ok_atom> activate(self_ptr self, int32_t shard, int64_t epoch,
                               int32_t shards_total,
                               const std::string& account) {
  auto& st = self->state;
  auto i = st.shards.find(shard);
  if (i != st.shards.end()) {
    if (i->second.epoch == epoch)
      return caf::ok_atom::value; // a repeated activation
    if (i->second.epoch > epoch)
      return make_error(mc_errc::stale_epoch, "activation is older");
    stop_shard(self, shard);
  }
  shard_config sc;
  sc.shard = shard;
  sc.epoch = epoch;
  sc.shards_total = shards_total;
  sc.account = account;
  sc.node_id = st.cfg.node_id;
  sc.writer = st.cfg.writers[static_cast<size_t>(shard)
                             % st.cfg.writers.size()];
  sc.side_writer = st.cfg.writers[static_cast<size_t>(shard + 1)
                                  % st.cfg.writers.size()];
  sc.upstream = st.cfg.upstream;
  sc.settings = st.cfg.settings;
  sc.limits = st.cfg.limits;
  auto a = self->spawn(shard_actor, std::move(sc));
  self->monitor(a);
  st.children->push_back(a);
  st.shards[shard] = owned_shard{epoch, a};
  log_info(st.cfg.node_id, "activated shard ", shard, " epoch ", epoch,
           " of ", shards_total);
  return caf::ok_atom::value;
}

} // namespace

caf::behavior coreapp_node(caf::stateful_actor<coreapp_node_state>* self,
                           coreapp_config cfg) {
  self->state.cfg = std::move(cfg);
  // A stray message or error reply must never take the node down.
  self->set_default_handler(caf::print_and_drop);
  self->set_error_handler([=](caf::error& err) {
    log_error(self->state.cfg.node_id, "ignored error: ",
              self->system().render(err));
  });
  // Shard actors are not linked (a fenced shard must not take the node
  // down), so stop them explicitly when the node goes.
  // The functor runs after the state is gone, so it owns its own list.
  auto children = self->state.children;
  self->attach_functor([children](const caf::error&) {
    for (auto& child : *children)
      caf::anon_send_exit(child, caf::exit_reason::user_shutdown);
  });
  if (self->state.cfg.upstream)
    self->monitor(self->state.cfg.upstream);
  self->set_down_handler([=](caf::down_msg& dm) {
    if (dm.source == self->state.cfg.upstream.address()) {
      log_error(self->state.cfg.node_id, "lost the upstream connection");
      if (self->state.cfg.upstream_lost)
        self->state.cfg.upstream_lost->store(true);
      return;
    }
    auto& shards = self->state.shards;
    for (auto i = shards.begin(); i != shards.end(); ++i)
      if (i->second.actor.address() == dm.source) {
        log_info(self->state.cfg.node_id, "shard ", i->first, " epoch ",
                 i->second.epoch, " stopped");
        shards.erase(i);
        return;
      }
  });
  return {
    [=](activate_atom, int32_t shard, int64_t epoch, int32_t shards_total) {
      return activate(self, shard, epoch, shards_total,
                      self->state.cfg.settings->account());
    },
    [=](activate_atom, int32_t shard, int64_t epoch, int32_t shards_total,
        const std::string& account) {
      return activate(self, shard, epoch, shards_total, account);
    },
    [=](deactivate_atom, int32_t shard,
        int64_t epoch) -> caf::result<caf::ok_atom> {
      auto i = self->state.shards.find(shard);
      if (i == self->state.shards.end() || i->second.epoch > epoch)
        return caf::ok_atom::value;
      // Drain, then answer: the supervisor re-homes the shard's pending
      // messages only once nothing here can still commit them.
      auto shard_actor = i->second.actor;
      self->demonitor(shard_actor);
      self->state.shards.erase(i);
      auto rp = self->make_response_promise<caf::ok_atom>();
      self->request(shard_actor, std::chrono::seconds{5}, drain_atom::value)
        .then([=](caf::ok_atom) mutable { rp.deliver(caf::ok_atom::value); },
              [=](const caf::error&) mutable {
                // It is gone either way (or fenced by its epoch).
                caf::anon_send_exit(shard_actor, caf::exit_reason::kill);
                rp.deliver(caf::ok_atom::value);
              });
      log_info(self->state.cfg.node_id, "draining shard ", shard, " epoch ",
               epoch);
      return rp;
    },
    [=](caf::ping_atom) {
      auto& st = self->state;
      std::vector<shard_epoch> running;
      running.reserve(st.shards.size());
      for (auto& [s, o] : st.shards)
        running.push_back({s, o.epoch});
      return caf::make_message(caf::pong_atom::value, st.cfg.node_id,
                               std::move(running));
    },
    [=](send_atom a, int32_t shard, int64_t epoch, std::string& id,
        std::string& recipient, std::string& body)
      -> caf::result<caf::message> {
      auto i = self->state.shards.find(shard);
      if (i == self->state.shards.end() || i->second.epoch != epoch)
        return make_error(mc_errc::not_owner,
                          "shard " + std::to_string(shard)
                            + " is not served here at epoch "
                            + std::to_string(epoch));
      return self->delegate(i->second.actor, a, shard, epoch, std::move(id),
                            std::move(recipient), std::move(body));
    },
    [=](send_batch_atom, std::vector<send_item>& items)
      -> caf::response_promise {
      auto& st = self->state;
      auto rp = self->make_response_promise();
      auto codes = std::make_shared<std::vector<int32_t>>(items.size(), 0);
      if (items.empty()) {
        rp.deliver(*codes);
        return rp;
      }
      // Split by (shard, epoch): each shard commits its part as one batch.
      std::map<std::pair<int32_t, int64_t>, std::vector<size_t>> groups;
      for (size_t i = 0; i < items.size(); ++i)
        groups[{items[i].shard, items[i].epoch}].push_back(i);
      auto pending = std::make_shared<size_t>(groups.size());
      auto one_done = [=]() mutable {
        if (--*pending == 0)
          rp.deliver(*codes);
      };
      for (auto& [key, indexes] : groups) {
        auto i = st.shards.find(key.first);
        if (i == st.shards.end() || i->second.epoch != key.second) {
          for (auto k : indexes)
            (*codes)[k] = static_cast<int32_t>(mc_errc::not_owner);
          one_done();
          continue;
        }
        std::vector<send_item> part;
        part.reserve(indexes.size());
        for (auto k : indexes)
          part.push_back(std::move(items[k]));
        auto idx = indexes;
        self->request(i->second.actor, std::chrono::seconds{30},
                      send_batch_atom::value, key.first, key.second,
                      std::move(part))
          .then(
            [=](const std::vector<int32_t>& part_codes) mutable {
              for (size_t k = 0; k < idx.size() && k < part_codes.size(); ++k)
                (*codes)[idx[k]] = part_codes[k];
              one_done();
            },
            [=](const caf::error&) mutable {
              for (auto k : idx)
                (*codes)[k] = static_cast<int32_t>(mc_errc::not_owner);
              one_done();
            });
      }
      return rp;
    },
    [=](upstream_atom, caf::actor& upstream) {
      auto& st = self->state;
      st.cfg.upstream = upstream;
      self->monitor(upstream);
      log_info(st.cfg.node_id, "upstream reconnected");
      for (auto& [s, o] : st.shards)
        self->send(o.actor, upstream_atom::value, upstream);
    },
    [=](status_atom) {
      std::vector<int32_t> shards;
      for (auto& [s, o] : self->state.shards)
        shards.push_back(s);
      return shards;
    },
  };
}

} // namespace mc
