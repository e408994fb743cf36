/// The shard actor: owns one shard at one epoch, commits accepted sends in
/// groups and hands them, in acceptance order, to its upstream session.
///
///              pending loaded              drain
///   resuming ----------------> serving -----------> draining
///      |                          |                    | commit in flight
///      | drain (nothing commits)  |                    | done: ok, quit
///      +--------------------------+--------------------+--> stopped
///      |                          |                    |
///      +-- stale epoch on commit, kicked at its epoch, session fenced,
///          stop: fenced, uncommitted sends answered not_owner, quit
///
/// resuming: sends queue up but nothing is committed, so the resumed
///   messages (committed by an earlier owner, not yet acked) go upstream
///   ahead of new ones.
/// serving: group commit; while one commit runs, the next batch fills up.
/// draining: no new sends (resharding); the shard's pending work is all in
///   the database once the commit in flight is done, where the next owner
///   resumes it.
///
/// Slightly over 300 lines with this header: the three phases are one
/// state machine over one state, and splitting it across files would
/// separate each transition from the phase it leaves.

#include "actors/coreapp/shard.hpp"

#include <chrono>

#include <caf/all.hpp>

#include "actors/lifecycle.hpp"
#include "actors/protocol/timeouts.hpp"
#include "runtime/log.hpp"

namespace mc {

namespace {

using self_ptr = shard_actor::stateful_pointer<shard_state>;
using behavior_type = shard_actor::behavior_type;

constexpr auto retry_delay = std::chrono::milliseconds{100};
/// Acked messages are marked sent in one statement per period. A mark lost
/// to a crash only means the next owner sends those again, and the
/// upstream drops them by id.
constexpr auto sent_flush_period = std::chrono::milliseconds{50};

std::string who(self_ptr self) {
  auto& cfg = self->state.cfg;
  return cfg.node_id + "/shard" + std::to_string(cfg.shard) + "@"
         + std::to_string(cfg.epoch);
}

/// Stops the shard for good: another node owns it now. Sends that were
/// not committed are answered with not_owner so the webapp retries there.
void fence(self_ptr self, const char* why) {
  log_info(who(self), "fenced: ", why, "; stopping");
  self->state.sends.fail_waiting(mc_errc::not_owner);
  self->quit(caf::exit_reason::user_shutdown);
}

void finish_drain(self_ptr self) {
  log_info(who(self), "drained; stopping");
  for (auto& rp : self->state.drained)
    rp.deliver(caf::ok_atom::value);
  self->quit(caf::exit_reason::user_shutdown);
}

/// Hands committed messages to the session, which submits them in order.
void hand_over(self_ptr self, std::vector<upstream_message> msgs) {
  auto& st = self->state;
  if (msgs.empty())
    return;
  st.sends.handed(msgs.size());
  self->send(st.session, outbox_atom::value, std::move(msgs));
}

void log_commit_stats(self_ptr self, size_t rows,
                      caf::timespan took) {
  auto& st = self->state;
  auto before = st.committed_total;
  st.committed_total += rows;
  if (st.cfg.stats)
    st.cfg.stats->committed(static_cast<int64_t>(rows));
  ++st.commits;
  st.commit_time += took;
  // A line per 10,000 messages: batch sizes and commit times tell an
  // operator where the time goes.
  if (before / 10000 == st.committed_total / 10000)
    return;
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(
              st.commit_time).count();
  log_info(who(self), st.committed_total, " committed; last ", st.commits,
           " commits: ", (st.committed_total - st.reported_total) / st.commits,
           " rows and ", us / st.commits / 1000.0, " ms each");
  st.commits = 0;
  st.commit_time = {};
  st.reported_total = st.committed_total;
}

void commit(self_ptr self);

/// After a commit: the next one, or the end of a drain.
void commit_done(self_ptr self) {
  auto& st = self->state;
  st.sends.end_commit();
  if (!st.drained.empty())
    finish_drain(self);
  else
    commit(self);
}

void commit(self_ptr self) {
  auto& st = self->state;
  if (st.sends.committing() || !st.sends.has_waiting())
    return;
  auto waiting = std::make_shared<std::vector<waiting_send>>(
    st.sends.start_commit(st.cfg.limits.max_batch));
  std::vector<upstream_message> rows;
  rows.reserve(waiting->size());
  for (auto& w : *waiting)
    rows.push_back(w.msg);
  auto started = self->clock().now();
  self
    ->request(st.cfg.writer, timeouts::commit, commit_atom::value,
              st.cfg.shard, st.cfg.epoch, std::move(rows))
    .then(
      [=](caf::ok_atom) {
        log_commit_stats(self, waiting->size(), self->clock().now() - started);
        // Durable now: answer, then queue for the upstream in this order.
        std::vector<upstream_message> done;
        done.reserve(waiting->size());
        for (auto& w : *waiting) {
          w.batch->set(w.index, 0);
          done.push_back(std::move(w.msg));
        }
        hand_over(self, std::move(done));
        commit_done(self);
      },
      [=](caf::error& err) {
        if (is(err, mc_errc::stale_epoch)) {
          fail(*waiting, mc_errc::not_owner);
          fence(self, "epoch is stale");
          return;
        }
        // Not committed: the client gets a retryable error, nothing is
        // half-accepted.
        log_error(who(self), "group commit failed: ",
                  self->system().render(err));
        fail(*waiting, mc_errc::database);
        commit_done(self);
      });
}

/// Queues a batch for the next group commit unless it is not for this
/// shard at this epoch, or the shard is draining, or its queue is full.
caf::result<send_codes> admit(self_ptr self, int32_t shard, int64_t epoch,
                              std::vector<send_item>& items, bool draining) {
  auto& st = self->state;
  auto reply = batch_reply::make(self->make_response_promise<send_codes>(),
                                 items.size());
  if (items.empty())
    return reply->promise;
  if (shard != st.cfg.shard || epoch != st.cfg.epoch)
    reply->refuse_all(mc_errc::not_owner);
  else if (draining)
    reply->refuse_all(mc_errc::resharding);
  else if (auto code = st.sends.admit(items, reply); code != mc_errc::none)
    reply->refuse_all(code);
  return reply->promise;
}

behavior_type draining(self_ptr self);
behavior_type serving(self_ptr self);

/// Sends not yet in a commit were never accepted: their clients retry and
/// land on the shard's next owner. Then the shard waits for the commit in
/// flight, if any.
caf::result<caf::ok_atom> start_drain(self_ptr self) {
  auto& st = self->state;
  st.sends.fail_waiting(mc_errc::resharding);
  self->send(st.session, drain_atom::value);
  st.drained.push_back(self->make_response_promise<caf::ok_atom>());
  auto rp = st.drained.back();
  if (!st.sends.committing())
    finish_drain(self);
  else
    self->become(draining(self));
  return rp;
}

/// Loads the committed, unacked messages of the shard (in acceptance
/// order), then serves.
void resume(self_ptr self) {
  auto& st = self->state;
  self
    ->request(st.cfg.writer, timeouts::pending_load,
              caf::pending_atom::value, st.cfg.shard)
    .then(
      [=](std::vector<upstream_message>& pending) {
        if (!pending.empty())
          log_info(who(self), "resuming ", pending.size(),
                   " committed but unacknowledged messages");
        hand_over(self, std::move(pending));
        self->become(serving(self));
        commit(self);
      },
      [=](caf::error& err) {
        log_error(who(self), "loading pending messages failed: ",
                  self->system().render(err), "; retrying");
        self->delayed_send(self, retry_delay, caf::pending_atom::value);
      });
}

/// A phase: its own send, drain, flush and pending handlers plus what every
/// phase does alike.
template <class Send, class Drain, class Flush, class Pending>
behavior_type phase(self_ptr self, Send send, Drain drain, Flush flush,
                    Pending pending) {
  return {
    std::move(send),
    std::move(drain),
    std::move(flush),
    std::move(pending),
    [=](kicked_atom, int32_t, int64_t epoch) {
      if (epoch == self->state.cfg.epoch)
        fence(self, "upstream session taken over");
    },
    [=](receipt_atom, int32_t, const std::vector<upstream_receipt>& xs) {
      self->state.events.receipts(xs);
    },
    [=](inbound_atom, int32_t, const std::vector<inbound_message>& xs) {
      self->state.events.inbound(xs);
    },
    [=](acked_atom, const std::vector<upstream_message>& done) {
      auto& st = self->state;
      st.sends.acked(done.size());
      if (st.cfg.stats)
        st.cfg.stats->acked(static_cast<int64_t>(done.size()));
      if (st.events.acked(done))
        self->delayed_send(self, sent_flush_period, sent_atom::value);
    },
    [=](sent_atom) { self->state.events.flush_sent(); },
    [=](upstream_atom, upstream_actor& upstream) {
      self->send(self->state.session, upstream_atom::value,
                 std::move(upstream));
    },
    [=](stop_atom) { fence(self, "deactivated"); },
  };
}

behavior_type resuming(self_ptr self) {
  return phase(
    self,
    [=](send_batch_atom, int32_t shard, int64_t epoch,
        std::vector<send_item>& items) {
      return admit(self, shard, epoch, items, false);
    },
    [=](drain_atom) { return start_drain(self); },
    [=](caf::flush_atom) {
      // Nothing is committed before the pending load.
    },
    [=](caf::pending_atom) { resume(self); });
}

behavior_type serving(self_ptr self) {
  return phase(
    self,
    [=](send_batch_atom, int32_t shard, int64_t epoch,
        std::vector<send_item>& items) {
      auto result = admit(self, shard, epoch, items, false);
      // Group commit: while one commit runs, the next batch fills up.
      auto& sends = self->state.sends;
      if (!sends.committing() && sends.has_waiting())
        self->send(self, caf::flush_atom::value);
      return result;
    },
    [=](drain_atom) { return start_drain(self); },
    [=](caf::flush_atom) { commit(self); },
    [=](caf::pending_atom) {
      // Loaded already.
    });
}

behavior_type draining(self_ptr self) {
  return phase(
    self,
    [=](send_batch_atom, int32_t shard, int64_t epoch,
        std::vector<send_item>& items) {
      return admit(self, shard, epoch, items, true);
    },
    [=](drain_atom) -> caf::result<caf::ok_atom> {
      self->state.drained.push_back(
        self->make_response_promise<caf::ok_atom>());
      return self->state.drained.back();
    },
    [=](caf::flush_atom) {
      // The batch was refused at the drain; nothing more is committed.
    },
    [=](caf::pending_atom) {
      // Loaded already.
    });
}

} // namespace

behavior_type shard_impl(self_ptr self, shard_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  if (!st.cfg.side_writer)
    st.cfg.side_writer = st.cfg.writer;
  st.events = shard_events{st.cfg.shard, st.cfg.side_writer, st.cfg.settings};
  st.sends = send_queue{st.cfg.limits.max_queue};
  log_info(who(self), "starting");
  upstream_session_config sc;
  sc.account = st.cfg.account;
  sc.shard = st.cfg.shard;
  sc.epoch = st.cfg.epoch;
  sc.shards_total = st.cfg.shards_total;
  sc.who = who(self);
  sc.upstream = st.cfg.upstream;
  sc.owner = caf::actor_cast<upstream_owner_actor>(self);
  sc.client = caf::actor_cast<session_client_actor>(self);
  sc.submit_batch = st.cfg.limits.submit_batch;
  sc.window = st.cfg.limits.window;
  st.session = self->spawn<caf::linked>(upstream_session, std::move(sc));
  // The session ends only when the upstream fenced this shard off.
  self->set_exit_handler([=](caf::exit_msg& em) {
    if (em.source == self->state.session.address())
      fence(self, "upstream has a newer session");
    else if (em.reason) // as CAF's default: a normal exit is ignored
      self->quit(std::move(em.reason));
  });
  resume(self);
  return resuming(self);
}

} // namespace mc
