#include "actors/coreapp/upstream_session.hpp"

#include <algorithm>
#include <chrono>

#include <caf/all.hpp>

#include "actors/protocol/errors.hpp"
#include "actors/protocol/timeouts.hpp"
#include "runtime/log.hpp"

namespace mc {

namespace {

using self_ptr
  = upstream_session_actor::stateful_pointer<upstream_session_state>;

constexpr auto retry_delay = std::chrono::milliseconds{100};

/// Puts every batch in flight back in front of the outbox, oldest first,
/// and ignores their late acks: resent in order, the upstream drops
/// duplicates by id, so per-recipient order is kept.
void requeue_in_flight(self_ptr self) {
  auto& st = self->state;
  ++st.generation;
  if (st.uploading) {
    st.outbox.insert(st.outbox.begin(), st.uploading->begin(),
                     st.uploading->end());
    st.uploading.reset();
  }
  for (auto i = st.in_flight.rbegin(); i != st.in_flight.rend(); ++i)
    st.outbox.insert(st.outbox.begin(), i->second.begin(), i->second.end());
  st.in_flight.clear();
}

void pump(self_ptr self);

void submit(self_ptr self, std::vector<upstream_message> msgs) {
  auto& st = self->state;
  auto no = st.next_batch++;
  auto gen = st.generation;
  st.in_flight.emplace(no, msgs);
  self
    ->request(st.cfg.upstream, timeouts::upstream_request, submit_atom::value,
              st.cfg.account, st.cfg.shard, st.cfg.epoch, std::move(msgs))
    .then(
      [=](std::vector<std::string>&) {
        auto& st = self->state;
        if (gen != st.generation)
          return;
        auto done = std::move(st.in_flight[no]);
        st.in_flight.erase(no);
        self->send(st.cfg.client, acked_atom::value, std::move(done));
        pump(self);
      },
      [=](caf::error& err) {
        auto& st = self->state;
        if (gen != st.generation)
          return;
        if (is(err, mc_errc::upstream_fenced)) {
          log_info(st.cfg.who, "upstream has a newer session");
          self->quit(std::move(err));
          return;
        }
        log_error(st.cfg.who, "submit failed: ", self->system().render(err),
                  "; resubmitting in order");
        // A refusal means the session is gone: log in again first.
        if (is(err, mc_errc::upstream_refused))
          st.logged_in = false;
        requeue_in_flight(self);
        if (st.logged_in)
          self->delayed_send(self, retry_delay, pump_atom::value);
        else
          self->delayed_send(self, retry_delay, relogin_atom::value);
      });
}

/// Has the relay upload the media `msgs` refer to, then submits them; a
/// failure puts them back in order (requeue_in_flight) and retries.
void upload_then_submit(self_ptr self, std::vector<upstream_message> msgs,
                        std::vector<std::string> ids) {
  auto& st = self->state;
  auto gen = st.generation;
  st.uploading = std::move(msgs);
  auto n = ids.size();
  self
    ->request(st.cfg.media, ensure_media_timeout(n), ensure_media_atom::value,
              st.cfg.account,
              caf::actor_cast<upstream_media_actor>(st.cfg.upstream), ids)
    .then(
      [=](caf::ok_atom) {
        auto& st = self->state;
        if (gen != st.generation)
          return;
        st.media.uploaded(ids);
        auto batch = std::move(*st.uploading);
        st.uploading.reset();
        submit(self, std::move(batch));
        pump(self);
      },
      [=](caf::error& err) {
        auto& st = self->state;
        if (gen != st.generation)
          return;
        if (is(err, mc_errc::media_unknown)) {
          // Deleted or expired after the send was accepted: retrying cannot
          // bring it back, so the message goes without it rather than
          // blocking every message behind it.
          log_error(st.cfg.who, "media gone before its message left: ",
                    self->system().render(err));
          st.media.uploaded(ids);
          auto batch = std::move(*st.uploading);
          st.uploading.reset();
          submit(self, std::move(batch));
          pump(self);
          return;
        }
        log_error(st.cfg.who, "media upload failed: ",
                  self->system().render(err), "; retrying in order");
        requeue_in_flight(self);
        self->delayed_send(self, retry_delay, pump_atom::value);
      });
}

void pump(self_ptr self) {
  auto& st = self->state;
  if (!st.logged_in || st.held || st.uploading)
    return;
  while (!st.outbox.empty() && st.in_flight.size() < st.cfg.window) {
    auto n = std::min(st.outbox.size(), st.cfg.submit_batch);
    std::vector<upstream_message> msgs;
    msgs.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      msgs.push_back(std::move(st.outbox.front()));
      st.outbox.pop_front();
    }
    if (st.cfg.media) {
      auto missing = st.media.missing(msgs);
      if (!missing.empty()) {
        upload_then_submit(self, std::move(msgs), std::move(missing));
        return;
      }
    }
    submit(self, std::move(msgs));
  }
}

void login(self_ptr self) {
  auto& st = self->state;
  self
    ->request(st.cfg.upstream, timeouts::upstream_request, login_atom::value,
              st.cfg.account, st.cfg.shard, st.cfg.epoch, st.cfg.shards_total,
              st.cfg.owner)
    .then(
      [=](caf::ok_atom) {
        self->state.logged_in = true;
        log_info(self->state.cfg.who, "upstream session open");
        pump(self);
      },
      [=](caf::error& err) {
        log_error(self->state.cfg.who, "upstream login failed: ",
                  self->system().render(err));
        if (is(err, mc_errc::upstream_fenced)) {
          self->quit(std::move(err));
          return;
        }
        self->delayed_send(self, retry_delay, relogin_atom::value);
      });
}

} // namespace

upstream_session_actor::behavior_type upstream_session(
  self_ptr self, upstream_session_config cfg) {
  self->state.cfg = std::move(cfg);
  login(self);
  return {
    [=](outbox_atom, std::vector<upstream_message>& msgs) {
      auto& st = self->state;
      st.outbox.insert(st.outbox.end(), std::make_move_iterator(msgs.begin()),
                       std::make_move_iterator(msgs.end()));
      pump(self);
    },
    [=](upstream_atom, upstream_actor& upstream) {
      auto& st = self->state;
      st.cfg.upstream = std::move(upstream);
      // Whatever was in flight on the old connection is sent again.
      requeue_in_flight(self);
      st.logged_in = false;
      login(self);
    },
    [=](drain_atom) { self->state.held = true; },
    [=](relogin_atom) { login(self); },
    [=](pump_atom) { pump(self); },
  };
}

} // namespace mc
