#include "actors/coreapp/shard_callbacks.hpp"

#include <chrono>
#include <memory>

#include <caf/all.hpp>

#include "actors/protocol/timeouts.hpp"
#include "runtime/log.hpp"

namespace mc {

namespace {

using self_ptr = shard_actor::stateful_pointer<shard_state>;
using ack_promise = caf::typed_response_promise<caf::ok_atom>;

/// A failed write of sent statuses is tried again this much later.
constexpr auto sent_retry = std::chrono::milliseconds{500};

std::string who(self_ptr self) {
  return "shard " + std::to_string(self->state.cfg.shard);
}

/// A timed-out write may still commit: to the upstream it is a failure
/// either way (it pushes again; the callback keys deduplicate).
caf::error write_error(caf::error err) {
  if (err == caf::sec::request_timeout)
    return make_error(mc_errc::database, "callback write timed out");
  return err;
}

/// Answers one push once all of its writes committed, or at the first
/// failure.
struct ack_join {
  self_ptr self;
  ack_promise ack;
  int waiting;
  bool answered = false;

  void done() {
    if (!answered && --waiting == 0) {
      answered = true;
      --self->state.push_writes;
      ack.deliver(caf::ok_atom::value);
    }
  }

  void fail(caf::error err) {
    if (answered)
      return;
    answered = true;
    --self->state.push_writes;
    ack.deliver(write_error(std::move(err)));
  }
};

void write_callbacks(self_ptr self, callback_batch xs,
                     std::shared_ptr<ack_join> join) {
  auto& st = self->state;
  self
    ->request(st.cfg.side_writer, timeouts::callback_write,
              callback_atom::value, st.cfg.shard, std::move(xs.kinds),
              std::move(xs.payloads), std::move(xs.keys))
    .then([join](caf::ok_atom) { join->done(); },
          [self, join](caf::error& err) {
            log_error(who(self), "callback write failed: ",
                      self->system().render(err),
                      "; the push is not acknowledged");
            join->fail(std::move(err));
          });
}

} // namespace

caf::error shard_push_refusal(self_ptr self, int32_t shard, int64_t epoch) {
  auto& st = self->state;
  if (!shard_owns(self, shard, epoch))
    return shard_not_owner(self, shard, epoch);
  if (st.push_writes >= st.cfg.limits.max_push_writes)
    return make_error(mc_errc::overloaded, "callback writes backlogged");
  return caf::none;
}

bool shard_owns(self_ptr self, int32_t shard, int64_t epoch) {
  auto& cfg = self->state.cfg;
  return shard == cfg.shard && epoch == cfg.epoch;
}

caf::error shard_not_owner(self_ptr self, int32_t shard, int64_t epoch) {
  auto& cfg = self->state.cfg;
  return make_error(mc_errc::not_owner,
                    "push for shard " + std::to_string(shard) + "@"
                      + std::to_string(epoch) + " reached shard "
                      + std::to_string(cfg.shard) + "@"
                      + std::to_string(cfg.epoch));
}

caf::result<caf::ok_atom>
shard_receipts(self_ptr self, int32_t shard, int64_t epoch,
               const std::vector<upstream_receipt>& xs) {
  if (auto err = shard_push_refusal(self, shard, epoch))
    return err;
  auto batch = self->state.events.receipts(xs);
  if (batch.empty())
    return caf::ok_atom::value; // nothing wanted: nothing to keep
  ++self->state.push_writes;
  auto join = std::make_shared<ack_join>(
    ack_join{self, self->make_response_promise<caf::ok_atom>(), 1});
  write_callbacks(self, std::move(batch), join);
  return join->ack;
}

void shard_write_inbound(self_ptr self, const std::vector<inbound_message>& xs,
                         ack_promise ack) {
  auto& st = self->state;
  auto w = st.events.inbound(xs);
  auto join = std::make_shared<ack_join>(ack_join{self, std::move(ack), 2});
  if (w.ids.empty()) {
    join->waiting = 1;
    join->done();
    return;
  }
  // Sent before the callbacks: the writer's mailbox keeps the order, so
  // the sender is on record before the webhook can tell anyone the id.
  self
    ->request(st.cfg.side_writer, timeouts::callback_write,
              inbound_seen_atom::value, st.cfg.shard, std::move(w.ids),
              std::move(w.senders))
    .then([join](caf::ok_atom) { join->done(); },
          [join](caf::error& err) { join->fail(std::move(err)); });
  write_callbacks(self, std::move(w.callbacks), join);
}

void shard_write_sent(self_ptr self) {
  auto& st = self->state;
  if (st.sent_writing)
    return;
  auto xs = st.events.take_sent_statuses();
  if (xs.empty())
    return;
  st.sent_writing = true;
  auto kept = std::make_shared<callback_batch>(xs);
  self
    ->request(st.cfg.side_writer, timeouts::callback_write,
              callback_atom::value, st.cfg.shard, std::move(xs.kinds),
              std::move(xs.payloads), std::move(xs.keys))
    .then(
      [self](caf::ok_atom) {
        self->state.sent_writing = false;
        shard_write_sent(self); // those that came meanwhile
      },
      [self, kept](caf::error& err) {
        auto& st = self->state;
        st.sent_writing = false;
        log_error(who(self), "writing ", kept->size(),
                  " sent statuses failed: ", self->system().render(err),
                  "; retrying");
        st.events.requeue_sent_statuses(std::move(*kept));
        self->delayed_send(self, sent_retry, sent_atom::value);
      });
}

void shard_write_sent_last(self_ptr self) {
  auto& st = self->state;
  auto xs = st.events.take_sent_statuses();
  if (xs.empty())
    return;
  caf::anon_send(st.cfg.side_writer, callback_atom::value, st.cfg.shard,
                 std::move(xs.kinds), std::move(xs.payloads),
                 std::move(xs.keys));
}

} // namespace mc
