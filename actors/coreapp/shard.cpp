/// The shard actor: owns one shard at one epoch, commits accepted sends in
/// groups and hands them, in acceptance order, to its upstream session.
///
///              pending loaded          drain | handoff
///   resuming ----------------> serving -----------> draining
///      |                          |                    | commit in flight
///      | drain (nothing commits)  |                    | done: ok, quit
///      +--------------------------+--------------------+--> stopped
///                                                      | handoff: ok, then
///                                         parting <----+ (receipts kept)
///                                            | kicked or timeouts::part
///                                            +--> stopped
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
/// parting: a planned stop's drain is done; the shard still persists what
///   its upstream session pushes until the next owner's login ends that
///   session, so no receipt is pushed to a shard that is gone.
///
/// Slightly over 300 lines with this header: the three phases are one
/// state machine over one state, and splitting it across files would
/// separate each transition from the phase it leaves.

#include "actors/coreapp/shard.hpp"
#include "actors/coreapp/shard_callbacks.hpp"
#include "actors/coreapp/shard_inbound.hpp"
#include "actors/coreapp/shard_read.hpp"

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
  // Marks written now spare the next owner sending those again. Inbound
  // batches still held are not acknowledged: the upstream pushes them to
  // the next owner.
  self->state.events.flush_sent();
  shard_write_sent_last(self);
  self->quit(caf::exit_reason::user_shutdown);
}

behavior_type parting(self_ptr self);

void finish_drain(self_ptr self) {
  auto& st = self->state;
  for (auto& rp : st.drained)
    rp.deliver(caf::ok_atom::value);
  st.drained.clear();
  if (!st.part) {
    log_info(who(self), "drained; stopping");
    st.events.flush_sent();
    shard_write_sent_last(self);
    self->quit(caf::exit_reason::user_shutdown);
    return;
  }
  // A planned stop: the upstream still pushes this session's receipts here
  // until the next owner logs in, and a push is lost if nobody takes it.
  log_info(who(self), "drained; parting until the next owner takes over");
  self->delayed_send(self, timeouts::part, caf::timeout_atom::value);
  self->become(parting(self));
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
void resume(self_ptr self);
behavior_type resuming(self_ptr self);

/// After a commit: the next one, or the end of a drain.
void commit_done(self_ptr self) {
  auto& st = self->state;
  st.sends.end_commit();
  if (!st.drained.empty())
    finish_drain(self);
  else
    commit(self);
}

/// Answers the sends of the commit in flight, once: at its outcome, or
/// earlier with commit_unknown when the outcome is late.
void answer_commit(self_ptr self, int32_t code) {
  auto& st = self->state;
  if (!st.in_commit)
    return;
  for (auto& w : *st.in_commit)
    w.batch->set(w.index, code);
  st.in_commit.reset();
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
  auto no = ++st.commit_no;
  st.in_commit = waiting;
  // The clients are answered by the commit wait at the latest; the
  // outcome is still awaited after that (see timeouts::commit_outcome).
  self->delayed_send(self, timeouts::commit, commit_late_atom::value, no);
  self
    ->request(st.cfg.writer, timeouts::commit_outcome, commit_atom::value,
              st.cfg.shard, st.cfg.epoch, std::move(rows))
    .then(
      [=](caf::ok_atom) {
        log_commit_stats(self, waiting->size(), self->clock().now() - started);
        // Durable now: answer, then queue for the upstream in this order.
        answer_commit(self, 0);
        std::vector<upstream_message> done;
        done.reserve(waiting->size());
        for (auto& w : *waiting)
          done.push_back(std::move(w.msg));
        hand_over(self, std::move(done));
        commit_done(self);
      },
      [=](caf::error& err) {
        if (is(err, mc_errc::stale_epoch)) {
          answer_commit(self, code_of(mc_errc::not_owner));
          fence(self, "epoch is stale");
          return;
        }
        log_error(who(self), "group commit failed: ",
                  self->system().render(err));
        if (err == caf::sec::request_timeout) {
          // Still unknown, and the writer may commit it yet: stop, so that
          // the next activation resumes whatever was committed.
          answer_commit(self, code_of(mc_errc::commit_unknown));
          fence(self, "commit outcome unknown");
          return;
        }
        // Not committed (the database said so, e.g. the statement timeout
        // cancelled it): a retryable error, nothing is half-accepted.
        if (!is(err, mc_errc::commit_unknown)) {
          answer_commit(self, code_of(mc_errc::database));
          commit_done(self);
          return;
        }
        // A connection lost mid-commit (a cut link): the rows may be
        // stored. Nothing more is committed until the pending messages are
        // read again, so whatever did commit goes upstream, ahead of
        // later sends (per-recipient order); what was handed over already
        // is submitted again, which the upstream drops by id.
        answer_commit(self, code_of(mc_errc::commit_unknown));
        self->state.sends.end_commit();
        if (!self->state.drained.empty()) {
          finish_drain(self);
          return;
        }
        log_info(who(self), "reading the pending messages again");
        self->become(resuming(self));
        resume(self);
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
  else if (st.cfg.settings && st.cfg.settings->callback_queue_full())
    // The callback queue is at its cap: accepting more would produce
    // statuses with nowhere to go (On-Prem answers 1016 then too).
    reply->refuse_all(mc_errc::overloaded);
  else if (auto code = st.sends.admit(items, reply); code != mc_errc::none)
    reply->refuse_all(code);
  return reply->promise;
}

behavior_type draining(self_ptr self);
behavior_type serving(self_ptr self);

/// Sends not yet in a commit were never accepted: their clients retry and
/// land on the shard's next owner. Then the shard waits for the commit in
/// flight, if any.
caf::result<caf::ok_atom> start_drain(self_ptr self, bool part) {
  auto& st = self->state;
  st.part = part;
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
template <class Send, class Drain, class Handoff, class Flush, class Pending>
behavior_type phase(self_ptr self, Send send, Drain drain, Handoff handoff,
                    Flush flush, Pending pending) {
  return {
    std::move(send),
    std::move(drain),
    std::move(handoff),
    std::move(flush),
    std::move(pending),
    [=](kicked_atom, int32_t, int64_t epoch) {
      if (epoch == self->state.cfg.epoch)
        fence(self, "upstream session taken over");
    },
    [=](receipt_atom, int32_t shard, int64_t epoch,
        const std::vector<upstream_receipt>& xs) {
      return shard_receipts(self, shard, epoch, xs);
    },
    [=](inbound_atom, int32_t shard, int64_t epoch,
        std::vector<inbound_message>& xs) {
      return shard_inbound(self, shard, epoch, std::move(xs));
    },
    [=](acked_atom, const std::vector<upstream_message>& done) {
      auto& st = self->state;
      st.sends.acked(done.size());
      if (st.cfg.stats)
        st.cfg.stats->acked(static_cast<int64_t>(done.size()));
      if (st.events.acked(done))
        self->delayed_send(self, sent_flush_period, sent_atom::value);
    },
    [=](sent_atom) {
      // The statuses reach the writer ahead of the marks: a crash between
      // the two leaves the messages unmarked, and the next owner's resend
      // (acked again by id) makes their sent statuses again.
      shard_write_sent(self);
      self->state.events.flush_sent();
    },
    [=](upstream_atom, upstream_actor& upstream) {
      // Kept for the shard's own requests (read receipts) too.
      self->state.cfg.upstream = upstream;
      self->send(self->state.session, upstream_atom::value,
                 std::move(upstream));
    },
    [=](mark_read_atom, int32_t shard, int64_t epoch, std::string& id,
        std::string& sender) {
      return shard_mark_read(self, shard, epoch, std::move(id),
                             std::move(sender));
    },
    [=](stop_atom) { fence(self, "deactivated"); },
    [=](caf::timeout_atom) {
      // Armed only by a handoff: nobody took the session over in time.
      fence(self, "parted without a takeover");
    },
    [=](commit_late_atom, uint64_t no) {
      // The outcome is unknown at the commit wait: say so, since the
      // message may yet be stored. The clients retry with the same id
      // (idempotent); a late success still goes upstream.
      if (no == self->state.commit_no && self->state.in_commit) {
        log_error(who(self), "commit ", no, " outlasts the commit wait");
        answer_commit(self, code_of(mc_errc::commit_unknown));
      }
    },
  };
}

behavior_type resuming(self_ptr self) {
  return phase(
    self,
    [=](send_batch_atom, int32_t shard, int64_t epoch,
        std::vector<send_item>& items) {
      return admit(self, shard, epoch, items, false);
    },
    [=](drain_atom) { return start_drain(self, false); },
    [=](handoff_atom) { return start_drain(self, true); },
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
    [=](drain_atom) { return start_drain(self, false); },
    [=](handoff_atom) { return start_drain(self, true); },
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
    [=](handoff_atom) -> caf::result<caf::ok_atom> {
      self->state.part = true;
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

/// After a handoff's drain: nothing is committed or submitted any more;
/// receipts, inbound messages and acks of submits in flight are still
/// taken and persisted, until the kick (or the bound) ends the shard.
behavior_type parting(self_ptr self) {
  return phase(
    self,
    [=](send_batch_atom, int32_t shard, int64_t epoch,
        std::vector<send_item>& items) {
      return admit(self, shard, epoch, items, true);
    },
    [=](drain_atom) { return caf::ok_atom::value; },
    [=](handoff_atom) { return caf::ok_atom::value; },
    [=](caf::flush_atom) {},
    [=](caf::pending_atom) {});
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
  sc.media = st.cfg.media;
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
