#include "actors/cloud/cloud_upstream.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>

#include <caf/all.hpp>

#include "actors/cloud/cloud_status_resolver.hpp"
#include "actors/cloud/cloud_user_pairs.hpp"
#include "actors/protocol/errors.hpp"
#include "actors/protocol/timeouts.hpp"
#include "runtime/cloud/cloud_message_translator.hpp"
#include "runtime/log.hpp"
#include "runtime/onprem_codes.hpp"
#include "runtime/shard_hash.hpp"
#include "runtime/store/cloud_store.hpp"

namespace mc {

namespace {

using self_ptr = cloud_upstream_actor::stateful_pointer<cloud_upstream_state>;

/// How often a session with work in progress checks that its shard did not
/// move: a deposed owner stops calling the Cloud API within this bound.
constexpr auto fence_period = std::chrono::milliseconds{250};

/// How often the gateway status is looked at.
constexpr auto gateway_period = std::chrono::seconds{1};

const cloud_sender_actor& sender_for(self_ptr self, const std::string& key) {
  auto& ss = self->state.senders;
  return ss[std::hash<std::string>{}(key) % ss.size()];
}

/// The session of `shard` at `epoch`, or the error a caller gets.
caf::expected<cloud_session*> session_at(self_ptr self, int32_t shard,
                                         int64_t epoch) {
  auto& st = self->state;
  auto i = st.sessions.find(shard);
  if (st.ctx->fenced(shard, epoch)
      || (i != st.sessions.end() && i->second.epoch > epoch))
    return make_error(mc_errc::upstream_fenced, "shard moved");
  if (i == st.sessions.end() || i->second.epoch != epoch)
    return make_error(mc_errc::upstream_refused, "no session");
  return &i->second;
}

/// Whether the shard map still gives `shard` at `epoch`; records a fence
/// and kicks the session's owner when not. Throws on a database error.
bool check_fence(self_ptr self, int32_t shard, int64_t epoch) {
  auto& st = self->state;
  auto holds = st.ctx->db().with(
    [&](pqxx::connection& c) { return cloud_fence_holds(c, shard, epoch); });
  if (holds)
    return true;
  st.ctx->fence(shard, epoch);
  auto i = st.sessions.find(shard);
  if (i != st.sessions.end() && i->second.epoch == epoch) {
    log_info("cloud", "shard ", shard, " moved from epoch ", epoch,
             ": its sends stop");
    self->send(i->second.owner, kicked_atom::value, shard, epoch);
    st.sessions.erase(i);
  }
  return false;
}

void arm_fence_check(self_ptr self) {
  auto& st = self->state;
  if (st.fence_check_armed)
    return;
  st.fence_check_armed = true;
  self->delayed_send(self, fence_period, caf::tick_atom::value);
}

/// How often the statuses waiting for their wamid are looked at.
constexpr auto sweep_period = std::chrono::seconds{1};

/// Hands the waiting statuses whose wamid is recorded now to the shards of
/// this node they belong to, and forgets them once a shard persisted them.
/// One sweep at a time, so a slow shard is not handed the same twice.
void sweep_waiting(self_ptr self,
                   std::shared_ptr<cloud_status_resolver> resolver) {
  auto& st = self->state;
  if (st.sessions.empty() || st.sweeps_in_flight > 0)
    return;
  std::vector<cloud_status_resolver::matched_receipt> matched;
  try {
    matched = resolver->matched();
  } catch (const std::exception& e) {
    log_error("cloud", "cannot match waiting statuses: ", e.what());
    return;
  }
  // Every session knows the cluster's shard count at its login; the
  // newest epoch has the current one.
  int32_t shards = 1;
  int64_t newest = -1;
  for (auto& [shard, s] : st.sessions)
    if (s.epoch > newest) {
      newest = s.epoch;
      shards = s.shards_total;
    }
  std::map<int32_t, std::vector<cloud_status_resolver::matched_receipt>> mine;
  for (auto& m : matched) {
    auto shard = shard_of(m.routing_key, shards);
    if (st.sessions.count(shard) > 0)
      mine[shard].push_back(std::move(m));
  }
  for (auto& [shard, part] : mine) {
    auto& session = st.sessions[shard];
    std::vector<upstream_receipt> receipts;
    std::vector<std::pair<std::string, std::string>> keys;
    for (auto& m : part) {
      keys.push_back(m.key);
      receipts.push_back(std::move(m.receipt));
    }
    ++st.sweeps_in_flight;
    auto n = receipts.size();
    self
      ->request(session.owner, timeouts::upstream_request, receipt_atom::value,
                shard, session.epoch, std::move(receipts))
      .then(
        [=](caf::ok_atom) {
          --self->state.sweeps_in_flight;
          try {
            // A crash before this hands them on again: callbacks are
            // deduplicated by id and status.
            resolver->forget(keys);
            log_info("cloud", "shard ", shard, ": ", n,
                     " statuses that came before their wamid handed on");
          } catch (const std::exception& e) {
            log_error("cloud", "cannot forget waiting statuses: ", e.what());
          }
        },
        [=](caf::error& err) {
          --self->state.sweeps_in_flight;
          log_error("cloud", "shard ", shard, " refused waiting statuses: ",
                    self->system().render(err));
        });
  }
}

/// Whether a message of `msgs` is still in a sender's hands under an
/// earlier epoch (the shard moved, or the shard count changed, while it
/// was queued). That epoch is deposed: it is fenced, so its queued sends
/// drop, and the submit waits (the session retries it in order) until
/// each ended, sent or dropped. Joining it instead would fail the new
/// submit when it drops, and the recipient's later messages, sent
/// meanwhile, would overtake it.
bool earlier_owner_busy(self_ptr self, const std::vector<upstream_message>& msgs,
                        int64_t epoch) {
  auto& st = self->state;
  bool busy = false;
  for (auto& m : msgs) {
    auto i = st.jobs.find(m.id);
    if (i != st.jobs.end() && i->second.second < epoch) {
      st.ctx->fence(i->second.first, i->second.second);
      busy = true;
    }
  }
  return busy;
}

/// A message the Cloud API refused for good ends in a failed status; it
/// counts as done once the shard persisted that status (otherwise its
/// submit fails, and the resubmit tries it again).
void push_failed(self_ptr self, int32_t shard, int64_t epoch,
                 const upstream_message& m, int32_t code, std::string title) {
  auto& st = self->state;
  auto i = st.sessions.find(shard);
  if (i == st.sessions.end() || i->second.epoch != epoch) {
    st.batches.fail(m.id, make_error(mc_errc::upstream_fenced, "moved"));
    return;
  }
  upstream_receipt r{m.id, m.recipient, "failed",
                     static_cast<int64_t>(std::time(nullptr)), code,
                     std::move(title)};
  auto id = m.id;
  self
    ->request(i->second.owner, timeouts::upstream_request, receipt_atom::value,
              shard, epoch, std::vector<upstream_receipt>{std::move(r)})
    .then([=](caf::ok_atom) { self->state.batches.finish(id); },
          [=](caf::error& err) { self->state.batches.fail(id, err); });
}

void on_outcome(self_ptr self, int32_t shard, int64_t epoch,
                const upstream_message& m, cloud_outcome& o) {
  auto& st = self->state;
  switch (o.result) {
    case cloud_result::sent:
      st.batches.finish(m.id);
      break;
    case cloud_result::failed:
      push_failed(self, shard, epoch, m, o.code, std::move(o.title));
      break;
    case cloud_result::fenced:
      st.batches.fail(m.id, make_error(mc_errc::upstream_fenced, "moved"));
      break;
  }
}

/// What a submit waits for: the ids in progress, and the messages of them
/// that cannot be translated (to be failed once the batch is added).
struct dispatched {
  std::vector<std::string> pending;
  /// Each with why it cannot be translated.
  std::vector<std::pair<upstream_message, std::string>> untranslatable;
};

/// Hands the messages of a submit that are neither done nor in progress to
/// their senders.
dispatched
dispatch(self_ptr self, int32_t shard, int64_t epoch,
         std::vector<upstream_message>& msgs,
         const std::map<std::string, std::string>& recorded) {
  auto& st = self->state;
  std::vector<std::string> media_ids;
  for (auto& m : msgs)
    for (auto& id : cloud_message_translator::media_ids_of(m.payload))
      media_ids.push_back(id);
  auto media = st.ctx->db().with(
    [&](pqxx::connection& c) { return cloud_media_of(c, media_ids); });
  std::vector<std::string> pending;
  std::vector<std::pair<upstream_message, std::string>> untranslatable;
  for (auto& m : msgs) {
    if (st.batches.done(m.id) || recorded.count(m.id) > 0)
      continue;
    pending.push_back(m.id);
    if (st.batches.in_progress(m.id))
      continue;
    auto body = cloud_message_translator::translate(m.payload, m.recipient,
                                                    media);
    if (!body) {
      // Nothing the Cloud API could take: fail it as it would, once the
      // batch waits for it (below).
      untranslatable.emplace_back(m, self->system().render(body.error()));
      continue;
    }
    cloud_job job{shard, epoch, m.id, m.recipient, std::move(body->json)};
    st.jobs[m.id] = std::make_pair(shard, epoch);
    self->request(sender_for(self, m.recipient), caf::infinite,
                  cloud_send_atom::value, std::move(job))
      .then(
        [=](cloud_outcome& o) {
          self->state.jobs.erase(m.id);
          on_outcome(self, shard, epoch, m, o);
        },
        [=](caf::error& err) {
          self->state.jobs.erase(m.id);
          self->state.batches.fail(m.id, err);
        });
  }
  return {pending, untranslatable};
}

} // namespace

cloud_upstream_actor::behavior_type cloud_upstream(
  cloud_upstream_actor::stateful_pointer<cloud_upstream_state> self,
  std::shared_ptr<cloud_context> ctx) {
  auto& st = self->state;
  st.ctx = ctx;
  for (int i = 0; i < std::max(1, ctx->settings().connections); ++i)
    st.senders.push_back(self->spawn<caf::detached + caf::linked>(
      cloud_sender, ctx));
  auto resolver = std::make_shared<cloud_status_resolver>(ctx);
  auto users = std::make_shared<cloud_user_pairs>(ctx);
  self->send(self, caf::update_atom::value);
  self->delayed_send(self, sweep_period, cloud_sweep_atom::value);
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    for (auto i = st.sessions.begin(); i != st.sessions.end();) {
      if (i->second.owner.address() == dm.source) {
        st.ctx->fence(i->first, i->second.epoch);
        i = st.sessions.erase(i);
      } else {
        ++i;
      }
    }
  });
  return {
    [=](login_atom, const std::string& account, int32_t shard, int64_t epoch,
        int32_t shards_total,
        upstream_owner_actor& owner) -> caf::result<caf::ok_atom> {
      auto& st = self->state;
      try {
        if (st.ctx->fenced(shard, epoch) || !check_fence(self, shard, epoch))
          return make_error(mc_errc::upstream_fenced, "stale epoch");
      } catch (const std::exception& e) {
        return make_error(mc_errc::upstream_refused, e.what());
      }
      // Work of an earlier activation of the shard on this node stops now,
      // not at the next fence check.
      if (epoch > 0)
        st.ctx->fence(shard, epoch - 1);
      // When the shard actor stops (a shard-count change stops every
      // owner before any new one starts, a planned stop drains it), its
      // queued sends stop with it: the next owner sends them, once.
      self->monitor(owner);
      st.sessions[shard] = cloud_session{account, epoch, shards_total, owner};
      st.ctx->pacer().share(static_cast<int>(st.sessions.size()),
                            shards_total);
      return caf::ok_atom::value;
    },
    [=](submit_atom, const std::string&, int32_t shard, int64_t epoch,
        std::vector<upstream_message>& msgs)
      -> caf::result<std::vector<std::string>> {
      auto& st = self->state;
      auto session = session_at(self, shard, epoch);
      if (!session)
        return session.error();
      std::vector<std::string> ids;
      ids.reserve(msgs.size());
      for (auto& m : msgs)
        ids.push_back(m.id);
      if (earlier_owner_busy(self, msgs, epoch))
        return make_error(mc_errc::upstream_refused,
                          "sends of an earlier owner still in progress");
      std::map<std::string, std::string> recorded;
      try {
        if (!check_fence(self, shard, epoch))
          return make_error(mc_errc::upstream_fenced, "shard moved");
        recorded = st.ctx->db().with(
          [&](pqxx::connection& c) { return cloud_wamids_of(c, ids); });
      } catch (const std::exception& e) {
        return make_error(mc_errc::upstream_refused, e.what());
      }
      // Made only now: once a promise exists, the answer must go through it.
      auto promise = self->make_response_promise<std::vector<std::string>>();
      try {
        auto d = dispatch(self, shard, epoch, msgs, recorded);
        st.batches.add(promise, std::move(ids), d.pending);
        for (auto& [m, why] : d.untranslatable)
          push_failed(self, shard, epoch, m, codes::invalid_parameter,
                      "the message cannot be expressed in the Cloud API: "
                        + why);
      } catch (const std::exception& e) {
        promise.deliver(make_error(mc_errc::upstream_refused, e.what()));
        return promise;
      }
      arm_fence_check(self);
      return promise;
    },
    [=](mark_read_atom, const std::string&, int32_t shard, int64_t epoch,
        std::string& id, std::string& sender) -> caf::result<caf::ok_atom> {
      auto session = session_at(self, shard, epoch);
      if (!session)
        return session.error();
      auto& to = sender_for(self, sender);
      return self->delegate(to, mark_read_atom::value, shard, epoch,
                            std::move(id), std::move(sender));
    },
    [=](upload_media_atom a, std::string& account, std::string& id,
        std::string& mime, std::string& sha, std::string& bytes) {
      auto& to = sender_for(self, id);
      return self->delegate(to, a, std::move(account), std::move(id),
                            std::move(mime), std::move(sha), std::move(bytes));
    },
    [=](download_media_atom a, std::string& account, std::string& id) {
      auto& to = sender_for(self, id);
      return self->delegate(to, a, std::move(account), std::move(id));
    },
    [=](contacts_atom, const std::string&,
        const std::vector<std::string>& numbers) {
      // The Cloud API has no contacts check: every number is answered as
      // On-Prem answered a WhatsApp user, its wa_id the digits.
      contact_checks out;
      for (auto& n : numbers)
        out.push_back(contact_check{n, "valid", n});
      return out;
    },
    [=](acct_reg_atom, const std::string&, const std::string&,
        const std::string&,
        const std::string&) -> caf::result<std::string, bool> {
      return make_error(mc_errc::upstream_refused,
                        "with the Cloud API, numbers are registered in "
                        "Meta's WhatsApp Manager");
    },
    [=](acct_ver_atom, const std::string&, const std::string&,
        const std::string&) -> caf::result<caf::ok_atom> {
      return make_error(mc_errc::upstream_refused,
                        "with the Cloud API, numbers are registered in "
                        "Meta's WhatsApp Manager");
    },
    [=](cloud_push_atom, int32_t shard, std::vector<upstream_receipt>& rs,
        std::vector<inbound_message>& ms) -> caf::result<caf::ok_atom> {
      auto& st = self->state;
      auto i = st.sessions.find(shard);
      if (i == st.sessions.end())
        return make_error(mc_errc::not_owner, "no session of this shard");
      cloud_status_resolver::resolution resolved;
      try {
        resolved = resolver->resolve(rs);
        // Durable before Meta hears 200; the sweep hands them on.
        resolver->park(resolved.waiting);
        users->learn(rs, ms);
      } catch (const std::exception& e) {
        return make_error(mc_errc::database, e.what());
      }
      // Answered once the shard persisted both parts (acknowledged pushes).
      // Shared: the handlers of both parts may deliver it.
      auto promise = std::make_shared<caf::typed_response_promise<caf::ok_atom>>(
        self->make_response_promise<caf::ok_atom>());
      auto owner = i->second.owner;
      auto epoch = i->second.epoch;
      auto left = std::make_shared<int>(2);
      auto part_done = [=](caf::error err) {
        if (*left <= 0)
          return;
        if (err) {
          *left = 0;
          promise->deliver(std::move(err));
        } else if (--*left == 0) {
          promise->deliver(caf::ok_atom::value);
        }
      };
      auto push = [=](auto atom, auto xs) {
        if (xs.empty()) {
          part_done(caf::error{});
          return;
        }
        self
          ->request(owner, timeouts::upstream_request, atom, shard, epoch,
                    std::move(xs))
          .then([=](caf::ok_atom) { part_done(caf::error{}); },
                [=](caf::error& err) { part_done(std::move(err)); });
      };
      push(receipt_atom::value, std::move(resolved.receipts));
      push(inbound_atom::value, std::move(ms));
      return *promise;
    },
    [=](caf::tick_atom) {
      auto& st = self->state;
      st.fence_check_armed = false;
      if (st.batches.pending() == 0)
        return;
      // Copied: a failed check erases its session.
      std::vector<std::pair<int32_t, int64_t>> live;
      for (auto& [shard, s] : st.sessions)
        live.emplace_back(shard, s.epoch);
      for (auto& [shard, epoch] : live) {
        try {
          check_fence(self, shard, epoch);
        } catch (const std::exception& e) {
          // The database is away: nothing new is recorded either, and the
          // next owner cannot be activated without it.
          log_error("cloud", "fence check failed: ", e.what());
        }
      }
      arm_fence_check(self);
    },
    [=](cloud_sweep_atom) {
      self->delayed_send(self, sweep_period, cloud_sweep_atom::value);
      sweep_waiting(self, resolver);
    },
    [=](caf::update_atom) {
      auto& st = self->state;
      self->delayed_send(self, gateway_period, caf::update_atom::value);
      auto now = st.ctx->token().status();
      if (now == st.gateway)
        return;
      try {
        st.ctx->db().with([&](pqxx::connection& c) {
          record_cloud_gateway(c, st.ctx->settings().node_id, now);
          return 0;
        });
        log_info("cloud", "gateway status: ", now);
        st.gateway = now;
      } catch (const std::exception& e) {
        log_error("cloud", "cannot record the gateway status: ", e.what());
      }
    },
  };
}

} // namespace mc
