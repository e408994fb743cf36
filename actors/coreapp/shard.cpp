#include "actors/coreapp/shard.hpp"

#include <chrono>
#include <ctime>

#include <caf/all.hpp>

#include "actors/coreapp/db_writer.hpp"
#include "runtime/callback_payload.hpp"
#include "runtime/log.hpp"

namespace mc {

namespace {

using self_ptr = caf::stateful_actor<shard_state>*;

constexpr auto commit_timeout = std::chrono::seconds{10};
constexpr auto submit_timeout = std::chrono::seconds{5};
constexpr auto retry_delay = std::chrono::milliseconds{100};
/// Acked messages are marked sent in one statement per period. A mark lost
/// to a crash only means the next owner sends those again, and the
/// upstream drops them by id.
constexpr auto sent_flush_period = std::chrono::milliseconds{50};

/// Local: retry the upstream login / resubmit after a failure.
using login_retry_atom = caf::atom_constant<caf::atom("relogin")>;
using pump_atom = caf::atom_constant<caf::atom("pump")>;

std::string who(self_ptr self) {
  return self->state.cfg.node_id + "/shard" + std::to_string(self->state.cfg.shard)
         + "@" + std::to_string(self->state.cfg.epoch);
}

/// Stops the shard for good: another node owns it now. Requests that were
/// not committed are answered with not_owner so the webapp retries there.
void fence(self_ptr self, const char* why) {
  auto& st = self->state;
  if (st.stopping)
    return;
  st.stopping = true;
  log_info(who(self), "fenced: ", why, "; stopping");
  for (auto& w : st.batch)
    w.fail(mc_errc::not_owner, why);
  st.batch.clear();
  self->quit(caf::exit_reason::user_shutdown);
}

/// Finishes a drain once no commit is in flight: the shard's pending work
/// is all in the database, where the next owner resumes it.
void finish_drain_if_idle(self_ptr self) {
  auto& st = self->state;
  if (!st.draining || st.committing || st.stopping)
    return;
  st.stopping = true;
  log_info(who(self), "drained; stopping");
  st.drained.deliver(caf::ok_atom::value);
  self->quit(caf::exit_reason::user_shutdown);
}

/// Messages the shard holds: waiting for a commit, in the commit in
/// flight, or committed and not yet submitted.
size_t queued(const shard_state& st) {
  return st.batch.size() + st.in_commit + st.outbox.size();
}

void pump(self_ptr self);

void submit(self_ptr self, std::vector<upstream_message> msgs) {
  auto& st = self->state;
  auto no = st.next_batch++;
  auto gen = st.generation;
  st.in_flight.emplace(no, msgs);
  self->request(st.cfg.upstream, submit_timeout, submit_atom::value,
                st.cfg.shard, st.cfg.epoch, std::move(msgs))
    .then(
      [=](const std::vector<std::string>& ids) {
        auto& st = self->state;
        if (gen != st.generation)
          return;
        auto done = std::move(st.in_flight[no]);
        st.in_flight.erase(no);
        st.acked_total += ids.size();
        st.acked.insert(st.acked.end(), ids.begin(), ids.end());
        if (!st.sent_flush_armed && !st.acked.empty()) {
          st.sent_flush_armed = true;
          self->delayed_send(self, sent_flush_period, sent_atom::value);
        }
        if (st.cfg.settings->get().sent_status
            && st.cfg.settings->webhooks_enabled()) {
          std::vector<std::string> kinds(done.size(), "status");
          std::vector<std::string> payloads;
          payloads.reserve(done.size());
          auto now = static_cast<int64_t>(std::time(nullptr));
          for (auto& m : done)
            payloads.push_back(
              status_event_json({m.id, m.recipient, "sent", now, 0, {}}));
          self->send(st.cfg.side_writer, callback_atom::value, st.cfg.shard,
                     kinds, payloads);
        }
        pump(self);
      },
      [=](const caf::error& err) {
        auto& st = self->state;
        if (gen != st.generation)
          return;
        if (is(err, mc_errc::upstream_refused)) {
          // Refused for a stale epoch: a newer owner holds the session.
          st.logged_in = false;
        }
        log_error(who(self), "submit failed: ", self->system().render(err),
                  "; resubmitting in order");
        // Put every in-flight batch back in front, oldest first: the
        // upstream is idempotent by id, so re-sending acked ones is safe and
        // per-recipient order is kept.
        ++st.generation;
        for (auto i = st.in_flight.rbegin(); i != st.in_flight.rend(); ++i)
          st.outbox.insert(st.outbox.begin(), i->second.begin(),
                           i->second.end());
        st.in_flight.clear();
        if (!st.logged_in)
          self->delayed_send(self, retry_delay, login_retry_atom::value);
        else
          self->delayed_send(self, retry_delay, pump_atom::value);
      });
}

void pump(self_ptr self) {
  auto& st = self->state;
  if (!st.logged_in || st.stopping || st.draining)
    return;
  while (!st.outbox.empty() && st.in_flight.size() < st.cfg.limits.window) {
    auto n = std::min(st.outbox.size(), st.cfg.limits.submit_batch);
    std::vector<upstream_message> msgs;
    msgs.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      msgs.push_back(std::move(st.outbox.front()));
      st.outbox.pop_front();
    }
    submit(self, std::move(msgs));
  }
}

void commit(self_ptr self) {
  auto& st = self->state;
  if (st.committing || !st.resumed || st.batch.empty() || st.stopping)
    return;
  st.committing = true;
  auto n = std::min(st.batch.size(), st.cfg.limits.max_batch);
  st.in_commit = n;
  auto waiting = std::make_shared<std::vector<waiting_send>>(
    std::make_move_iterator(st.batch.begin()),
    std::make_move_iterator(st.batch.begin() + n));
  st.batch.erase(st.batch.begin(), st.batch.begin() + n);
  std::vector<upstream_message> rows;
  rows.reserve(n);
  for (auto& w : *waiting)
    rows.push_back(w.msg);
  auto commit_started = self->clock().now();
  self->request(st.cfg.writer, commit_timeout, commit_atom::value, st.cfg.shard,
                st.cfg.epoch, std::move(rows))
    .then(
      [=](caf::ok_atom) {
        auto& st = self->state;
        st.committing = false;
        st.in_commit = 0;
        auto before = st.committed_total;
        st.committed_total += waiting->size();
        ++st.commits;
        st.commit_time += self->clock().now() - commit_started;
        // A line per 10,000 messages: batch sizes and commit times tell
        // an operator where the time goes.
        if (before / 10000 != st.committed_total / 10000) {
          auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                      st.commit_time).count();
          log_info(who(self), st.committed_total, " committed; last ",
                   st.commits, " commits: ",
                   (st.committed_total - st.reported_total) / st.commits,
                   " rows and ", us / st.commits / 1000.0, " ms each");
          st.commits = 0;
          st.commit_time = {};
          st.reported_total = st.committed_total;
        }
        // Durable now: answer, then queue for the upstream in this order.
        for (auto& w : *waiting) {
          w.succeed();
          st.outbox.push_back(std::move(w.msg));
        }
        pump(self);
        commit(self);
        finish_drain_if_idle(self);
      },
      [=](const caf::error& err) {
        auto& st = self->state;
        st.committing = false;
        st.in_commit = 0;
        if (is(err, mc_errc::stale_epoch)) {
          for (auto& w : *waiting)
            w.fail(mc_errc::not_owner, "shard moved");
          fence(self, "epoch is stale");
          return;
        }
        // Not committed: the client gets a retryable error, nothing is
        // half-accepted.
        log_error(who(self), "group commit failed: ",
                  self->system().render(err));
        for (auto& w : *waiting)
          w.fail(mc_errc::database, "commit failed");
        commit(self);
        finish_drain_if_idle(self);
      });
}

void login(self_ptr self) {
  auto& st = self->state;
  if (st.stopping)
    return;
  self->request(st.cfg.upstream, submit_timeout, login_atom::value,
                st.cfg.account, st.cfg.shard, st.cfg.epoch, st.cfg.shards_total)
    .then(
      [=](caf::ok_atom) {
        self->state.logged_in = true;
        log_info(who(self), "upstream session open");
        pump(self);
      },
      [=](const caf::error& err) {
        auto& st = self->state;
        log_error(who(self), "upstream login failed: ",
                  self->system().render(err));
        if (is(err, mc_errc::upstream_refused)
            && self->system().render(err).find("stale") != std::string::npos) {
          fence(self, "upstream has a newer session");
          return;
        }
        if (!st.stopping)
          self->delayed_send(self, retry_delay, login_retry_atom::value);
      });
}

void resume(self_ptr self) {
  auto& st = self->state;
  self->request(st.cfg.writer, commit_timeout, pending_atom::value, st.cfg.shard)
    .then(
      [=](std::vector<upstream_message>& pending) {
        auto& st = self->state;
        if (!pending.empty())
          log_info(who(self), "resuming ", pending.size(),
                   " committed but unacknowledged messages");
        for (auto& m : pending)
          st.outbox.push_back(std::move(m));
        st.resumed = true;
        pump(self);
        commit(self);
      },
      [=](const caf::error& err) {
        log_error(who(self), "loading pending messages failed: ",
                  self->system().render(err), "; retrying");
        self->delayed_send(self, retry_delay, pending_atom::value);
      });
}

template <class Event, class ToJson>
void queue_callbacks(self_ptr self, const char* kind,
                     const std::vector<Event>& events, ToJson to_json) {
  auto& st = self->state;
  if (!st.cfg.settings->webhooks_enabled() || events.empty())
    return;
  std::vector<std::string> kinds(events.size(), kind);
  std::vector<std::string> payloads;
  payloads.reserve(events.size());
  for (auto& e : events)
    payloads.push_back(to_json(e));
  self->send(st.cfg.side_writer, callback_atom::value, st.cfg.shard, kinds,
             payloads);
}

} // namespace

caf::behavior shard_actor(caf::stateful_actor<shard_state>* self,
                          shard_config cfg) {
  self->state.cfg = std::move(cfg);
  if (!self->state.cfg.side_writer)
    self->state.cfg.side_writer = self->state.cfg.writer;
  log_info(who(self), "starting");
  resume(self);
  login(self);
  return {
    [=](send_atom, int32_t shard, int64_t epoch, std::string& id,
        std::string& recipient, std::string& body) -> caf::response_promise {
      auto& st = self->state;
      // One promise per request: a second make_response_promise() for the
      // same request would be invalid and the client never answered.
      auto rp = self->make_response_promise();
      if (st.stopping || shard != st.cfg.shard || epoch != st.cfg.epoch) {
        rp.deliver(make_error(mc_errc::not_owner, "shard moved"));
        return rp;
      }
      if (st.draining) {
        rp.deliver(make_error(mc_errc::resharding, "shard is draining"));
        return rp;
      }
      if (queued(st) + 1 > st.cfg.limits.max_queue) {
        rp.deliver(make_error(mc_errc::overloaded, "shard queue is full"));
        return rp;
      }
      st.batch.push_back(
        {{std::move(id), std::move(recipient), std::move(body)}, rp, nullptr, 0});
      // Group commit: while one commit runs, the next batch fills up.
      if (!st.committing)
        self->send(self, flush_atom::value);
      return rp;
    },
    [=](send_batch_atom, int32_t shard, int64_t epoch,
        std::vector<send_item>& items) -> caf::response_promise {
      auto& st = self->state;
      auto reply = std::make_shared<batch_reply>();
      reply->promise = self->make_response_promise();
      reply->codes.resize(items.size(), 0);
      reply->remaining = items.size();
      auto refuse_all = [&](mc_errc code) {
        for (size_t i = 0; i < items.size(); ++i)
          reply->set(i, static_cast<int32_t>(code));
        return reply->promise;
      };
      if (items.empty()) {
        reply->promise.deliver(reply->codes);
        return reply->promise;
      }
      if (st.stopping || shard != st.cfg.shard || epoch != st.cfg.epoch)
        return refuse_all(mc_errc::not_owner);
      if (st.draining)
        return refuse_all(mc_errc::resharding);
      if (queued(st) + items.size() > st.cfg.limits.max_queue)
        return refuse_all(mc_errc::overloaded);
      for (size_t i = 0; i < items.size(); ++i)
        st.batch.push_back({{std::move(items[i].id),
                             std::move(items[i].recipient),
                             std::move(items[i].body)},
                            {},
                            reply,
                            i});
      if (!st.committing)
        self->send(self, flush_atom::value);
      return reply->promise;
    },
    [=](flush_atom) { commit(self); },
    [=](sent_atom) {
      auto& st = self->state;
      st.sent_flush_armed = false;
      if (st.acked.empty())
        return;
      self->send(st.cfg.side_writer, sent_atom::value, std::move(st.acked));
      st.acked.clear();
    },
    [=](pending_atom) { resume(self); },
    [=](login_retry_atom) { login(self); },
    [=](pump_atom) { pump(self); },
    [=](upstream_atom, caf::actor& upstream) {
      auto& st = self->state;
      st.cfg.upstream = upstream;
      // Whatever was in flight on the old connection is sent again, in
      // order; the upstream drops what it already has by id.
      ++st.generation;
      for (auto i = st.in_flight.rbegin(); i != st.in_flight.rend(); ++i)
        st.outbox.insert(st.outbox.begin(), i->second.begin(),
                         i->second.end());
      st.in_flight.clear();
      st.logged_in = false;
      login(self);
    },
    [=](kicked_atom, int32_t, int64_t epoch) {
      if (epoch == self->state.cfg.epoch) {
        self->state.logged_in = false;
        fence(self, "upstream session taken over");
      }
    },
    [=](receipt_atom, int32_t, const std::vector<upstream_receipt>& receipts) {
      queue_callbacks(self, "status", receipts, [](const upstream_receipt& r) {
        return status_event_json(
          {r.id, r.recipient, r.status, r.timestamp, 0, {}});
      });
    },
    [=](inbound_atom, int32_t, const std::vector<inbound_message>& msgs) {
      queue_callbacks(self, "message", msgs, [](const inbound_message& m) {
        return inbound_event_json(
          {m.id, m.from, m.body, m.timestamp, {}});
      });
    },
    [=](status_atom) {
      auto& st = self->state;
      return caf::make_message(st.cfg.shard, st.cfg.epoch,
                               static_cast<int64_t>(st.committed_total),
                               static_cast<int64_t>(st.acked_total),
                               static_cast<int64_t>(st.outbox.size()));
    },
    [=](stop_atom) { fence(self, "deactivated"); },
    [=](drain_atom) -> caf::result<caf::ok_atom> {
      auto& st = self->state;
      st.draining = true;
      // Sends not yet in a commit were never accepted: tell their clients
      // to retry, they land on the shard's next owner.
      for (auto& w : st.batch)
        w.fail(mc_errc::resharding, "shard is draining");
      st.batch.clear();
      st.drained = self->make_response_promise<caf::ok_atom>();
      auto rp = st.drained;
      finish_drain_if_idle(self);
      return rp;
    },
  };
}

} // namespace mc
