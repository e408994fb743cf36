/// The coreapp node: a warm standby until the supervisor activates shards
/// on it, then the host of one shard actor per owned shard.
///
///   supervisor --activate/deactivate/ping--> node --spawn/drain/stop--> shard
///   webapp ----------------send_batch------> node --send_batch (s, e)--> shard
///   webapp ----------------mark_read-------> node --mark_read (s, e)---> shard
///
/// The node holds no phase of its own: what it serves is its shard map.
/// Shard actors are monitored, not linked (a fenced shard must not take the
/// node down); the node's exit hook stops them.

#include "actors/coreapp/coreapp_node.hpp"
#include "actors/coreapp/coreapp_queries.hpp"

#include "actors/coreapp/account_forwarder.hpp"

#include <caf/all.hpp>

#include "actors/lifecycle.hpp"
#include "actors/protocol/timeouts.hpp"
#include "runtime/log.hpp"

namespace mc {

namespace {

using self_ptr = coreapp_node_actor::stateful_pointer<coreapp_node_state>;

void stop_shard(self_ptr self, int32_t shard) {
  auto i = self->state.shards.find(shard);
  if (i == self->state.shards.end())
    return;
  self->demonitor(i->second.actor.address());
  self->send(i->second.actor, stop_atom::value);
  self->state.shards.erase(i);
}

shard_config make_shard_config(self_ptr self, int32_t shard, int64_t epoch,
                               int32_t shards_total,
                               const std::string& account) {
  auto& cfg = self->state.cfg;
  shard_config sc;
  sc.shard = shard;
  sc.epoch = epoch;
  sc.shards_total = shards_total;
  sc.account = account;
  sc.node_id = cfg.node_id;
  sc.writer = cfg.writers[static_cast<size_t>(shard) % cfg.writers.size()];
  sc.side_writer
    = cfg.writers[static_cast<size_t>(shard + 1) % cfg.writers.size()];
  sc.upstream = cfg.upstream;
  sc.settings = cfg.settings;
  sc.limits = cfg.limits;
  sc.stats = cfg.stats;
  sc.media = cfg.media;
  return sc;
}

caf::result<caf::ok_atom> activate(self_ptr self, int32_t shard, int64_t epoch,
                                   int32_t shards_total,
                                   const std::string& account) {
  auto& st = self->state;
  if (st.leaving)
    return make_error(mc_errc::not_owner, "leaving");
  auto i = st.shards.find(shard);
  if (i != st.shards.end()) {
    if (i->second.epoch == epoch)
      return caf::ok_atom::value; // a repeated activation
    if (i->second.epoch > epoch)
      return make_error(mc_errc::stale_epoch, "activation is older");
    stop_shard(self, shard);
  }
  auto a = self->spawn(shard_impl, make_shard_config(self, shard, epoch,
                                                     shards_total, account));
  self->monitor(a);
  st.children->push_back(a);
  st.shards[shard] = owned_shard{epoch, a};
  log_info(st.cfg.node_id, "activated shard ", shard, " epoch ", epoch,
           " of ", shards_total);
  return caf::ok_atom::value;
}

/// Answers the leave once no shard runs or parts here any more.
void check_left(self_ptr self) {
  auto& st = self->state;
  if (!st.leaving || !st.shards.empty() || !st.parting.empty())
    return;
  for (auto& rp : st.left)
    rp.deliver(caf::ok_atom::value);
  st.left.clear();
}

/// Drains `shard` (a handoff when leaving: it parts afterwards) and calls
/// `done` once drained; the shard is no longer served here from now on.
template <class Done>
void drain_shard(self_ptr self, int32_t shard, Done done) {
  auto& st = self->state;
  auto i = st.shards.find(shard);
  auto shard_actor = i->second.actor;
  auto epoch = i->second.epoch;
  st.shards.erase(i);
  auto on_error = [=](caf::error&) mutable {
    // It is gone either way (or fenced by its epoch).
    caf::anon_send_exit(shard_actor, caf::exit_reason::kill);
    done();
  };
  log_info(st.cfg.node_id, st.leaving ? "handing off shard " : "draining shard ",
           shard, " epoch ", epoch);
  if (st.leaving) {
    // Still monitored: the leave ends when the parted shard is gone.
    st.parting.insert(shard_actor.address());
    self->request(shard_actor, timeouts::drain, handoff_atom::value)
      .then([=](caf::ok_atom) mutable { done(); }, on_error);
    return;
  }
  self->demonitor(shard_actor.address());
  self->request(shard_actor, timeouts::drain, drain_atom::value)
    .then([=](caf::ok_atom) mutable { done(); }, on_error);
}

/// Drains, then answers: the supervisor re-homes the shard's pending
/// messages only once nothing here can still commit them.
caf::result<caf::ok_atom> deactivate(self_ptr self, int32_t shard,
                                     int64_t epoch) {
  auto i = self->state.shards.find(shard);
  if (i == self->state.shards.end() || i->second.epoch > epoch)
    return caf::ok_atom::value;
  auto rp = self->make_response_promise<caf::ok_atom>();
  drain_shard(self, shard, [=]() mutable { rp.deliver(caf::ok_atom::value); });
  return rp;
}

/// A planned stop: announce it, let the supervisor move the shards, hand
/// off what is left here, answer once every shard parted.
caf::result<caf::ok_atom> leave(self_ptr self) {
  auto& st = self->state;
  st.left.push_back(self->make_response_promise<caf::ok_atom>());
  auto rp = st.left.back();
  if (st.leaving)
    return rp;
  st.leaving = true;
  auto rest = [=] {
    std::vector<int32_t> ids;
    for (auto& [s, o] : self->state.shards)
      ids.push_back(s);
    for (auto s : ids)
      drain_shard(self, s, [] {});
    check_left(self);
  };
  if (!st.supervisor) {
    log_info(st.cfg.node_id, "leaving; no supervisor known, draining alone");
    rest();
    return rp;
  }
  log_info(st.cfg.node_id, "leaving; asking the supervisor to move my shards");
  auto sup = caf::actor_cast<cluster_supervisor_actor>(st.supervisor);
  self->request(sup, timeouts::leave_reply, leaving_atom::value, st.cfg.node_id)
    .then([=](caf::ok_atom) { rest(); },
          [=](caf::error& err) {
            log_error(self->state.cfg.node_id, "the supervisor did not take "
                      "the handoff (", self->system().render(err),
                      "); draining alone");
            rest();
          });
  return rp;
}

/// Splits a batch by (shard, epoch): each shard commits its part as one
/// batch; the reply comes once every part is answered.
caf::result<send_codes> route_batch(self_ptr self,
                                    std::vector<send_item>& items) {
  auto& st = self->state;
  auto rp = self->make_response_promise<send_codes>();
  auto codes = std::make_shared<send_codes>(items.size(), 0);
  if (items.empty()) {
    rp.deliver(*codes);
    return rp;
  }
  std::map<std::pair<int32_t, int64_t>, std::vector<size_t>> groups;
  for (size_t i = 0; i < items.size(); ++i)
    groups[{items[i].shard, items[i].epoch}].push_back(i);
  auto pending = std::make_shared<size_t>(groups.size());
  auto one_done = [=]() mutable {
    if (--*pending == 0)
      rp.deliver(*codes);
  };
  auto set_all = [=](const std::vector<size_t>& idx, mc_errc code) {
    for (auto k : idx)
      (*codes)[k] = code_of(code);
  };
  for (auto& [key, indexes] : groups) {
    auto i = st.shards.find(key.first);
    if (i == st.shards.end() || i->second.epoch != key.second) {
      set_all(indexes, mc_errc::not_owner);
      one_done();
      continue;
    }
    std::vector<send_item> part;
    part.reserve(indexes.size());
    for (auto k : indexes)
      part.push_back(std::move(items[k]));
    auto idx = indexes;
    self
      ->request(i->second.actor, timeouts::shard_send, send_batch_atom::value,
                key.first, key.second, std::move(part))
      .then(
        [=](send_codes& part_codes) mutable {
          for (size_t k = 0; k < idx.size() && k < part_codes.size(); ++k)
            (*codes)[idx[k]] = part_codes[k];
          one_done();
        },
        [=](caf::error& err) mutable {
          // A shard that did not answer in time may still commit them.
          set_all(idx, err == caf::sec::request_timeout
                         ? mc_errc::commit_unknown
                         : mc_errc::not_owner);
          one_done();
        });
  }
  return rp;
}

/// Hands a read receipt to the shard that serves `shard` at `epoch`.
caf::result<caf::ok_atom> route_read(self_ptr self, int32_t shard,
                                     int64_t epoch, std::string& id,
                                     std::string& sender) {
  auto i = self->state.shards.find(shard);
  if (i == self->state.shards.end() || i->second.epoch != epoch)
    return make_error(mc_errc::not_owner, "shard " + std::to_string(shard)
                                            + " is not served here");
  auto rp = self->make_response_promise<caf::ok_atom>();
  self
    ->request(i->second.actor, timeouts::shard_read, mark_read_atom::value,
              shard, epoch, std::move(id), std::move(sender))
    .then([=](caf::ok_atom) mutable { rp.deliver(caf::ok_atom::value); },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

void on_down(self_ptr self, const caf::down_msg& dm) {
  auto& st = self->state;
  if (dm.source == st.cfg.upstream.address()) {
    log_error(st.cfg.node_id, "lost the upstream connection");
    if (st.cfg.upstream_lost)
      st.cfg.upstream_lost->store(true);
    return;
  }
  if (st.parting.erase(dm.source) > 0) {
    check_left(self);
    return;
  }
  for (auto i = st.shards.begin(); i != st.shards.end(); ++i)
    if (i->second.actor.address() == dm.source) {
      log_info(st.cfg.node_id, "shard ", i->first, " epoch ",
               i->second.epoch, " stopped");
      st.shards.erase(i);
      check_left(self);
      return;
    }
}

} // namespace

coreapp_node_actor::behavior_type coreapp_node(self_ptr self,
                                               coreapp_config cfg) {
  self->state.cfg = std::move(cfg);
  // A stray message or error reply must never take the node down.
  self->set_default_handler(caf::print_and_drop);
  self->set_error_handler([=](caf::error& err) {
    log_error(self->state.cfg.node_id, "ignored error: ",
              self->system().render(err));
  });
  // The functor runs after the state is gone, so it owns its own list.
  auto children = self->state.children;
  self->attach_functor([children](const caf::error&) {
    for (auto& child : *children)
      caf::anon_send_exit(child, caf::exit_reason::user_shutdown);
  });
  if (self->state.cfg.upstream)
    self->monitor(self->state.cfg.upstream);
  self->set_down_handler([=](caf::down_msg& dm) { on_down(self, dm); });
  return {
    [=](activate_atom, int32_t shard, int64_t epoch, int32_t shards_total,
        const std::string& account) {
      return activate(self, shard, epoch, shards_total, account);
    },
    [=](deactivate_atom, int32_t shard, int64_t epoch) {
      return deactivate(self, shard, epoch);
    },
    [=](caf::ping_atom)
      -> caf::result<caf::pong_atom, std::string, std::vector<shard_epoch>> {
      auto& st = self->state;
      st.supervisor = caf::actor_cast<caf::actor>(self->current_sender());
      std::vector<shard_epoch> running;
      running.reserve(st.shards.size());
      for (auto& [s, o] : st.shards)
        running.push_back({s, o.epoch});
      return {caf::pong_atom::value, st.cfg.node_id, std::move(running)};
    },
    [=](send_batch_atom, std::vector<send_item>& items) {
      return route_batch(self, items);
    },
    [=](mark_read_atom, int32_t shard, int64_t epoch, std::string& id,
        std::string& sender) {
      return route_read(self, shard, epoch, id, sender);
    },
    [=](upstream_atom, upstream_actor& upstream) {
      auto& st = self->state;
      st.cfg.upstream = upstream;
      self->monitor(upstream);
      log_info(st.cfg.node_id, "upstream reconnected");
      for (auto& [s, o] : st.shards)
        self->send(o.actor, upstream_atom::value, upstream);
    },
    [=](acct_reg_atom, std::string& cc, std::string& phone,
        std::string& method, std::string& cert) {
      return account_forwarder::register_number(
        self, self->state.cfg.upstream, std::move(cc), std::move(phone),
        std::move(method), std::move(cert));
    },
    [=](acct_ver_atom, std::string& cc, std::string& phone,
        std::string& code) {
      return account_forwarder::verify_code(self, self->state.cfg.upstream,
                                            std::move(cc), std::move(phone),
                                            std::move(code));
    },
    [=](leave_atom) { return leave(self); },
    [=](app_stats_atom) { return app_stats_of(self); },
    [=](contacts_atom, int32_t shard, int64_t epoch,
        std::vector<std::string>& numbers) {
      return check_contacts(self, shard, epoch, std::move(numbers));
    },
    [=](cloud_push_atom a, int32_t shard, std::vector<upstream_receipt>& rs,
        std::vector<inbound_message>& ms) -> caf::result<caf::ok_atom> {
      auto& st = self->state;
      if (!st.cfg.cloud)
        return make_error(mc_errc::upstream_refused,
                          "this node does not relay to the Cloud API");
      if (st.shards.count(shard) == 0)
        return make_error(mc_errc::not_owner, "shard not served here");
      auto cloud = caf::actor_cast<cloud_intake_actor>(st.cfg.upstream);
      return self->delegate(cloud, a, shard, std::move(rs), std::move(ms));
    },
    [=](settings_push_atom, const std::string& json) {
      // In force for every shard of the node from here on.
      if (self->state.cfg.settings)
        self->state.cfg.settings->set(settings_from_stored_json(json));
      return caf::ok_atom::value;
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
