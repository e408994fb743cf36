/// The upstream simulator actor: sessions (login, fencing by epoch and
/// shard configuration), submits with their rate cap and ack latency, read
/// receipts, and fault injection; its receipts and inbound messages are
/// sim_pushes'.
/// Slightly over 300 lines: the handlers share one session table, and
/// cutting them into files of free functions over `self` would only make
/// them call each other across files.

#include "actors/sim/upstream_sim.hpp"

#include <algorithm>
#include <chrono>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>
#include <caf/system_messages.hpp>
#include <caf/result.hpp>

#include "actors/lifecycle.hpp"
#include "actors/protocol/errors.hpp"
#include "actors/sim/sim_media_samples.hpp"

namespace mc {

namespace {

using sim_ptr = upstream_sim_actor::stateful_pointer<upstream_sim_state>;
using time_point = upstream_sim_state::time_point;
using key = upstream_sim_state::key;
using outgoing = upstream_sim_state::outgoing;
using ack_list = std::vector<std::string>;

std::chrono::milliseconds ms(int64_t n) {
  return std::chrono::milliseconds{n};
}

// -- sessions ------------------------------------------------------------------

void close_session(sim_ptr self, const key& k, bool kick) {
  auto& st = self->state;
  auto i = st.sessions.find(k);
  if (i == st.sessions.end())
    return;
  if (kick) {
    self->send(i->second.owner, kicked_atom::value, k.second, i->second.epoch);
    st.ledger->count_kick();
  }
  st.ledger->on_session_closed(k.first, k.second);
  st.sessions.erase(i);
}

void apply_faults(sim_ptr self) {
  auto& st = self->state;
  auto gen = st.ledger->fault_generation();
  if (gen == st.fault_gen_seen)
    return;
  st.fault_gen_seen = gen;
  auto req = st.ledger->take_fault_requests();
  if (req.drop_sessions > 0) {
    // Newest epochs stay: a dropped owner may log in again with its epoch,
    // an older one stays fenced off.
    std::vector<key> keys;
    for (auto& kv : st.sessions)
      keys.push_back(kv.first);
    for (auto& k : keys)
      close_session(self, k, true);
  }
  if (req.refuse_logins_ms)
    st.refuse_logins_until = self->clock().now() + ms(*req.refuse_logins_ms);
}

// -- receipts and inbound --------------------------------------------------------

sim_pushes::routes routes_of(sim_ptr self) {
  auto& st = self->state;
  return {st.shards_total,
          [&st](const key& k) { return st.sessions.count(k) > 0; },
          [&st](const key& k) { return st.unacked.room(k); }};
}

void report_backlog(sim_ptr self) {
  auto& st = self->state;
  st.ledger->set_push_backlog(st.unacked.items(), st.pushes.dropped(),
                              st.pushes.paused());
}

void arm_tick(sim_ptr self);
void arm_resend(sim_ptr self);

void on_push_answer(sim_ptr self, uint64_t no, const key& k, int64_t epoch,
                    const caf::error& err) {
  auto& st = self->state;
  auto live = st.sessions.find(k);
  // Only the session at the current epoch acknowledges: an older owner's
  // ok (or a late one for a push sent elsewhere since) changes nothing.
  bool current = live != st.sessions.end() && live->second.epoch == epoch;
  if (!err && current) {
    if (st.unacked.ack(no, epoch) && st.pushes.has_parked()) {
      st.room_freed = true;
      arm_tick(self);
    }
  } else if (err) {
    st.unacked.failed(no, epoch, self->clock().now());
    arm_resend(self);
  }
  report_backlog(self);
}

/// Pushes (again) unacknowledged push `no` to the live session of its
/// shard; it stays unacknowledged until that session answers ok.
void push_to_session(sim_ptr self, uint64_t no) {
  auto& st = self->state;
  auto* p = st.unacked.find(no);
  if (!p)
    return;
  auto live = st.sessions.find(p->k);
  if (live == st.sessions.end())
    return; // the next login pushes it
  auto k = p->k;
  auto epoch = live->second.epoch;
  auto& owner = live->second.owner;
  if (p->attempts > 0)
    st.ledger->count_redelivered(p->size());
  st.unacked.sent(no, epoch);
  // A push that timed out waits longer the next time: a slow owner is not
  // flooded with the same batches again.
  auto timeout = st.unacked.timeout() * std::min(p->attempts, 4);
  auto on_ok = [self, no, k, epoch](caf::ok_atom) {
    on_push_answer(self, no, k, epoch, caf::none);
  };
  auto on_err = [self, no, k, epoch](caf::error& err) {
    on_push_answer(self, no, k, epoch, err);
  };
  if (!p->receipts.empty())
    self->request(owner, timeout, receipt_atom::value, k.second, epoch,
                  p->receipts)
      .then(on_ok, on_err);
  else
    self->request(owner, timeout, inbound_atom::value, k.second, epoch,
                  p->inbound)
      .then(on_ok, on_err);
}

/// Arms the resend check for the earliest failed push, if none is armed.
void arm_resend(sim_ptr self) {
  auto& st = self->state;
  if (st.stopped || st.resend_armed)
    return;
  auto at = st.unacked.next_retry();
  if (!at)
    return;
  st.resend_armed = true;
  self->scheduled_send(self, std::max(*at, self->clock().now()),
                       sim_resend_atom::value);
}

void on_resend(sim_ptr self) {
  auto& st = self->state;
  st.resend_armed = false;
  if (st.stopped)
    return;
  auto now = self->clock().now();
  for (auto& k : st.unacked.keys())
    if (st.sessions.count(k) > 0)
      for (auto no : st.unacked.due(k, false, now))
        push_to_session(self, no);
  arm_resend(self);
}

/// Holds the media the simulated users attach, before their messages
/// leave, so the owner's download by id finds them.
void hold_sample_media(sim_ptr self, const std::string& account,
                       const std::vector<inbound_message>& msgs) {
  for (auto& m : msgs)
    if (auto media = sim_media_samples::of_payload(m.payload);
        media && !self->state.cfg.media->get(media->id))
      self->state.cfg.media->put(account, media->id, media->mime_type,
                                 media->sha256, std::move(media->bytes));
}

void send_batches(sim_ptr self, sim_pushes::batches out) {
  auto& st = self->state;
  uint64_t receipts = 0;
  uint64_t inbound = 0;
  for (auto& kv : out) {
    auto epoch = st.sessions[kv.first].epoch;
    if (!kv.second.receipts.empty()) {
      receipts += kv.second.receipts.size();
      push_to_session(self, st.unacked.add(kv.first, epoch,
                                           std::move(kv.second.receipts),
                                           {}));
    }
    if (!kv.second.inbound.empty()) {
      inbound += kv.second.inbound.size();
      hold_sample_media(self, kv.first.first, kv.second.inbound);
      push_to_session(self, st.unacked.add(kv.first, epoch, {},
                                           std::move(kv.second.inbound)));
    }
  }
  if (receipts > 0)
    st.ledger->count_receipts(receipts);
  if (inbound > 0)
    st.ledger->count_inbound(inbound);
  report_backlog(self);
}

/// Arms the tick if there is work and none is armed. Ticks are at least
/// `tick_ms` apart so receipts go out in batches, and no earlier than the
/// first scheduled item when only receipts are waiting.
void arm_tick(sim_ptr self) {
  auto& st = self->state;
  if (st.stopped || st.tick_armed)
    return;
  auto inbound = st.pushes.inbound_active(routes_of(self));
  auto first = st.pushes.first_due();
  if (!inbound && !first && !st.room_freed)
    return;
  auto at = st.last_tick + ms(st.cfg.tick_ms);
  if (!inbound && !st.room_freed)
    at = std::max(at, *first);
  at = std::max(at, self->clock().now());
  st.tick_armed = true;
  self->scheduled_send(self, at, caf::tick_atom::value);
}

void on_tick(sim_ptr self) {
  auto& st = self->state;
  st.tick_armed = false;
  if (st.stopped)
    return;
  apply_faults(self);
  auto now = self->clock().now();
  st.last_tick = now;
  if (st.room_freed) {
    // Acks made room: what waited behind the windows goes first.
    st.room_freed = false;
    send_batches(self, st.pushes.take_parked(routes_of(self)));
  }
  send_batches(self, st.pushes.take_due(now, routes_of(self)));
  arm_tick(self);
}

// -- acks --------------------------------------------------------------------------

/// True if the session that submitted is still live with the same owner and
/// epoch; an ack for a dropped or kicked session is lost with its connection.
bool still_current(const upstream_sim_state& st, const key& k,
                   const upstream_owner_actor& owner, int64_t epoch) {
  auto i = st.sessions.find(k);
  return i != st.sessions.end() && i->second.owner == owner
         && i->second.epoch == epoch;
}

void on_ack(sim_ptr self, uint64_t token) {
  auto& st = self->state;
  auto i = st.acks.find(token);
  if (i == st.acks.end())
    return;
  auto ack = std::move(i->second);
  st.acks.erase(i);
  apply_faults(self);
  if (still_current(st, ack.session_key, ack.owner, ack.epoch))
    ack.promise.deliver(std::move(ack.ids));
  else
    ack.promise.deliver(
      make_error(mc_errc::upstream_refused, "session closed"));
}

caf::error refuse(sim_ptr self, const char* why) {
  self->state.ledger->count_refused();
  return make_error(mc_errc::upstream_refused, why);
}

/// A refusal for good: a newer session, epoch or shard configuration
/// exists, so the caller is fenced off.
caf::error fenced(sim_ptr self, const char* why) {
  self->state.ledger->count_refused();
  return make_error(mc_errc::upstream_fenced, why);
}

caf::result<caf::ok_atom> on_login(sim_ptr self, const std::string& account,
                                   int32_t shard, int64_t epoch,
                                   int32_t shards_total,
                                   const upstream_owner_actor& owner) {
  auto& st = self->state;
  apply_faults(self);
  if (!owner)
    return refuse(self, "no owner");
  if (self->clock().now() < st.refuse_logins_until)
    return refuse(self, "refusing logins");
  if (shards_total < 1 || shard < 0 || shard >= shards_total)
    return refuse(self, "bad shard");
  // A shard-count change: the first login of the new configuration carries
  // an epoch above every epoch of the old one; it ends every session of the
  // old configuration, so an old owner waking up can send nothing more.
  auto total = st.shards_total.find(account);
  if (total != st.shards_total.end() && total->second != shards_total) {
    int64_t newest_of_account = 0;
    for (auto& [k2, e] : st.newest_epoch)
      if (k2.first == account)
        newest_of_account = std::max(newest_of_account, e);
    if (epoch <= newest_of_account)
      return fenced(self, "stale epoch: older shard configuration");
    std::vector<key> old;
    for (auto& [k2, sess] : st.sessions)
      if (k2.first == account)
        old.push_back(k2);
    for (auto& k2 : old)
      close_session(self, k2, true);
    st.config_floor[account] = epoch;
    // Unacknowledged items belong to the shards of the new configuration.
    for (auto& p : st.unacked.take_account(account))
      st.pushes.park_again(account, std::move(p.receipts),
                           std::move(p.inbound));
  }
  auto floor = st.config_floor.find(account);
  if (floor != st.config_floor.end() && epoch < floor->second)
    return fenced(self, "stale epoch: older shard configuration");
  key k{account, shard};
  auto newest = st.newest_epoch.find(k);
  if (newest != st.newest_epoch.end() && epoch < newest->second)
    return fenced(self, "stale epoch");
  auto live = st.sessions.find(k);
  if (live != st.sessions.end()) {
    if (live->second.epoch == epoch) {
      if (live->second.owner != owner)
        return refuse(self, "epoch in use");
    } else if (live->second.owner != owner) {
      close_session(self, k, true);
    } else {
      // The owner itself moved to a newer epoch: nothing to kick.
      close_session(self, k, false);
    }
  }
  auto& s = st.sessions[k];
  if (s.owner != owner) {
    s.owner = owner;
    s.next_free = time_point{};
    self->monitor(owner);
  }
  s.epoch = epoch;
  s.client = caf::actor_cast<caf::actor_addr>(self->current_sender());
  st.newest_epoch[k] = epoch;
  st.shards_total[account] = shards_total;
  st.ledger->on_login(account, shard, epoch);
  // The new session gets every unacknowledged push of its shard first: an
  // older session's ack no longer counts.
  for (auto no : st.unacked.due(k, true, self->clock().now()))
    push_to_session(self, no);
  send_batches(self, st.pushes.take_parked(routes_of(self)));
  arm_tick(self);
  return caf::ok_atom::value;
}

/// The refusal of a request for a session that is not live at `epoch`:
/// fenced off if the shard moved past this epoch (a kicked owner no longer
/// has a session), else there is simply no session.
caf::error no_session(sim_ptr self, const std::string& account, int32_t shard,
                      int64_t epoch) {
  auto& st = self->state;
  auto newest = st.newest_epoch.find(key{account, shard});
  auto floor = st.config_floor.find(account);
  bool stale = (newest != st.newest_epoch.end() && newest->second > epoch)
               || (floor != st.config_floor.end() && floor->second > epoch);
  return stale ? fenced(self, "stale epoch") : refuse(self, "no session");
}

/// A read receipt: taken from the live session at `epoch`, from its owner
/// (the shard) or the actor that logged in, and recorded for GET /reads.
caf::result<caf::ok_atom> on_read(sim_ptr self, const std::string& account,
                                  int32_t shard, int64_t epoch,
                                  const std::string& id,
                                  const std::string& sender) {
  auto& st = self->state;
  apply_faults(self);
  auto i = st.sessions.find(key{account, shard});
  auto from = caf::actor_cast<caf::actor_addr>(self->current_sender());
  if (i == st.sessions.end() || i->second.epoch != epoch
      || (i->second.client != from && i->second.owner.address() != from))
    return no_session(self, account, shard, epoch);
  st.ledger->reads().record({account, shard, epoch, id, sender});
  return caf::ok_atom::value;
}

caf::result<ack_list> on_submit(sim_ptr self, const std::string& account,
                                int32_t shard, int64_t epoch,
                                const std::vector<upstream_message>& msgs) {
  auto& st = self->state;
  apply_faults(self);
  auto i = st.sessions.find(key{account, shard});
  auto sender = caf::actor_cast<caf::actor_addr>(self->current_sender());
  if (i == st.sessions.end() || i->second.epoch != epoch
      || i->second.client != sender)
    return no_session(self, account, shard, epoch);
  const key* k = &i->first;
  auto* s = &i->second;
  auto owner = s->owner;
  std::vector<bool> fresh;
  st.ledger->accept(k->first, shard, epoch, msgs, fresh);
  auto now = self->clock().now();
  // Rate cap: the batch occupies n / rate seconds of the session.
  auto done = now;
  if (st.cfg.session_rate > 0) {
    auto start = std::max(now, s->next_free);
    auto busy = std::chrono::nanoseconds{
      static_cast<int64_t>(msgs.size()) * 1'000'000'000LL
      / st.cfg.session_rate};
    done = start + busy;
    s->next_free = done;
  }
  auto reply_at = done + ms(st.cfg.latency_ms)
                  + ms(st.ledger->extra_latency_ms());
  ack_list ids;
  ids.reserve(msgs.size());
  for (auto& m : msgs)
    ids.push_back(m.id);
  // The servers check each new message before sending it; a broken rule
  // ends in a failed status instead of delivered and read.
  std::vector<sim_verdict> verdicts(msgs.size());
  for (size_t i = 0; i < msgs.size(); ++i)
    if (fresh[i])
      verdicts[i] = st.ledger->rules().check(msgs[i]);
  st.pushes.schedule_receipts(k->first, shard, st.shards_total[k->first],
                              msgs, fresh, reply_at, ms(st.cfg.delivered_ms),
                              ms(st.cfg.read_ms), verdicts);
  arm_tick(self);
  if (reply_at <= now)
    return ids;
  auto token = st.next_ack_token++;
  auto promise = self->make_response_promise<ack_list>();
  st.acks.emplace(token, upstream_sim_state::pending_ack{promise,
                                                         std::move(ids), *k,
                                                         owner, epoch});
  self->scheduled_send(self, reply_at, sim_ack_atom::value, token);
  return promise;
}

caf::result<caf::ok_atom> on_upload_media(sim_ptr self,
                                          const std::string& account,
                                          const std::string& id,
                                          const std::string& mime,
                                          const std::string& sha256,
                                          std::string& bytes) {
  if (self->state.cfg.media->put(account, id, mime, sha256, std::move(bytes))
      != mc_errc::none)
    return make_error(mc_errc::media_invalid, "sha256 does not match");
  return caf::ok_atom::value;
}

caf::result<std::string, std::string>
on_download_media(sim_ptr self, const std::string& id) {
  auto m = self->state.cfg.media->get(id);
  if (!m)
    return make_error(mc_errc::media_unknown, id);
  return caf::make_result(m->mime_type, *m->bytes);
}

void on_inject(sim_ptr self, const std::string& account,
               inbound_message msg) {
  auto now = self->clock().now();
  send_batches(self, self->state.pushes.inject_inbound(
                       now, account, std::move(msg), routes_of(self)));
}

/// The verified name the simulator reports for a number (a real upstream
/// reads it from the cert).
std::string sim_vname(const std::string& cc, const std::string& phone) {
  return "Business +" + cc + " " + phone;
}

} // namespace

upstream_sim_actor::behavior_type
upstream_sim(sim_ptr self, sim_config cfg, std::shared_ptr<sim_ledger> ledger) {
  auto& st = self->state;
  st.cfg = cfg;
  if (!st.cfg.media)
    st.cfg.media = std::make_shared<sim_media>();
  st.ledger = std::move(ledger);
  // One list of non-users for contact checks and sends.
  if (st.cfg.directory)
    st.ledger->rules().use_directory(st.cfg.directory);
  else
    st.cfg.directory = st.ledger->rules().directory();
  // fault_gen_seen stays 0: requests made before the actor ran still apply.
  // Inbound ids must not repeat across simulator restarts: prefix them with
  // the start time.
  st.pushes = sim_pushes{cfg.inbound_rate, cfg.users, cfg.seed,
                         "sim-in-" + std::to_string(sim_wall_seconds()) + "-"};
  st.unacked = sim_unacked{static_cast<size_t>(std::max(1, cfg.push_window)),
                           ms(std::max(1, cfg.push_timeout_ms))};
  self->set_down_handler([self](caf::down_msg& dm) {
    // The owner's connection is gone: its sessions close (no kick to send).
    std::vector<key> gone;
    for (auto& kv : self->state.sessions)
      if (kv.second.owner.address() == dm.source)
        gone.push_back(kv.first);
    for (auto& k : gone)
      close_session(self, k, false);
  });
  self->set_exit_handler([self](caf::exit_msg& em) {
    self->state.stopped = true;
    self->quit(em.reason);
  });
  return {
    [self](login_atom, const std::string& account, int32_t shard,
           int64_t epoch, int32_t shards_total,
           const upstream_owner_actor& owner) {
      return on_login(self, account, shard, epoch, shards_total, owner);
    },
    [self](submit_atom, const std::string& account, int32_t shard,
           int64_t epoch, const std::vector<upstream_message>& msgs) {
      return on_submit(self, account, shard, epoch, msgs);
    },
    [self](acct_reg_atom, const std::string& cc, const std::string& phone,
           const std::string&, const std::string& cert)
      -> caf::result<std::string, bool> {
      // The simulator sends no SMS: the code is read on its query API.
      auto code = self->state.ledger->registrations().request_code(cc + phone,
                                                              cert);
      return {sim_vname(cc, phone), code.has_value()};
    },
    [self](acct_ver_atom, const std::string& cc, const std::string& phone,
           const std::string& code) -> caf::result<caf::ok_atom> {
      if (!self->state.ledger->registrations().verify(cc + phone, code))
        return make_error(mc_errc::code_mismatch, "wrong or no code");
      return caf::ok_atom::value;
    },
    [self](contacts_atom, const std::string&,
           const std::vector<std::string>& numbers) {
      return self->state.cfg.directory->check(numbers);
    },
    [self](mark_read_atom, const std::string& account, int32_t shard,
           int64_t epoch, const std::string& id, const std::string& sender) {
      return on_read(self, account, shard, epoch, id, sender);
    },
    [self](upload_media_atom, const std::string& account,
           const std::string& id, const std::string& mime,
           const std::string& sha256, std::string& bytes) {
      return on_upload_media(self, account, id, mime, sha256, bytes);
    },
    [self](download_media_atom, const std::string&, const std::string& id) {
      return on_download_media(self, id);
    },
    [self](sim_ack_atom, uint64_t token) { on_ack(self, token); },
    [self](caf::tick_atom) { on_tick(self); },
    [self](sim_inject_atom, const std::string& account,
           inbound_message& msg) { on_inject(self, account, std::move(msg)); },
    [self](sim_fault_atom) { apply_faults(self); },
    [self](sim_resend_atom) { on_resend(self); },
    [self](stop_atom) { self->state.stopped = true; },
  };
}

std::function<void(inbound_message, std::string)>
make_sim_injector(upstream_sim_actor sim) {
  return [sim](inbound_message msg, std::string account) {
    caf::anon_send(sim, sim_inject_atom::value, std::move(account),
                   std::move(msg));
  };
}

std::function<void()> make_sim_fault_notifier(upstream_sim_actor sim) {
  return [sim] { caf::anon_send(sim, sim_fault_atom::value); };
}

} // namespace mc
