#include "actors/coreapp/shard_events.hpp"

#include <ctime>

#include <caf/send.hpp>

#include "actors/coreapp/db_writer.hpp"
#include "runtime/callback_payload.hpp"
#include "runtime/store/callback_store.hpp"

namespace mc {

void callback_batch::add(const char* kind, std::string payload,
                         std::string key) {
  kinds.emplace_back(kind);
  payloads.push_back(std::move(payload));
  keys.push_back(std::move(key));
}

void callback_batch::append(callback_batch other) {
  for (size_t i = 0; i < other.size(); ++i) {
    kinds.push_back(std::move(other.kinds[i]));
    payloads.push_back(std::move(other.payloads[i]));
    keys.push_back(std::move(other.keys[i]));
  }
}

shard_events::shard_events(int32_t shard, db_writer_actor writer,
                           std::shared_ptr<settings_cache> settings)
  : shard_(shard), writer_(std::move(writer)), settings_(std::move(settings)) {
  // nop
}

bool shard_events::acked(const std::vector<upstream_message>& done) {
  for (auto& m : done)
    acked_.push_back(m.id);
  // The conversation opens when the message leaves, whether or not the
  // application wants its sent status.
  auto now = static_cast<int64_t>(std::time(nullptr));
  bool report = status_wanted(settings_->get(), "sent");
  for (auto& m : done) {
    auto c = conversations_.business_sent(m.recipient, now);
    if (!report)
      continue;
    status_event e{m.id, m.recipient, "sent", now};
    e.conversation_id = c.id;
    e.conversation_origin = c.origin;
    // The reference reports the expiration with the sent status only.
    e.conversation_expiration = c.expires;
    unwritten_sent_.add("status", status_event_json(e),
                        status_key(m.id, "sent"));
  }
  bound_sent();
  if (flush_armed_ || (acked_.empty() && unwritten_sent_.empty()))
    return false;
  flush_armed_ = true;
  return true;
}

void shard_events::flush_sent() {
  flush_armed_ = false;
  if (acked_.empty())
    return;
  caf::anon_send(writer_, sent_atom::value, std::move(acked_));
  acked_.clear();
}

callback_batch shard_events::take_sent_statuses() {
  callback_batch out;
  std::swap(out, unwritten_sent_);
  return out;
}

void shard_events::requeue_sent_statuses(callback_batch xs) {
  xs.append(std::move(unwritten_sent_));
  unwritten_sent_ = std::move(xs);
  bound_sent();
}

void shard_events::bound_sent() {
  auto n = unwritten_sent_.size();
  if (n <= max_unwritten_sent)
    return;
  auto drop = static_cast<std::ptrdiff_t>(n - max_unwritten_sent);
  for (auto* v : {&unwritten_sent_.kinds, &unwritten_sent_.payloads,
                  &unwritten_sent_.keys})
    v->erase(v->begin(), v->begin() + drop);
  dropped_sent_ += static_cast<uint64_t>(drop);
}

callback_batch
shard_events::receipts(const std::vector<upstream_receipt>& xs) {
  callback_batch out;
  // The webhooks.message toggles decide which statuses are posted.
  auto settings = settings_->get();
  for (auto& r : xs) {
    if (!status_wanted(settings, r.status))
      continue;
    status_event e{r.id,         r.recipient,   r.status,
                   r.timestamp,  r.error_code,  r.error_title};
    e.recipient_user_id = r.user_id;
    // developers.facebook.com/docs/whatsapp/api/webhooks/outbound: sent
    // and delivered carry the conversation and its pricing; read does not.
    if (r.status == "delivered") {
      auto c = conversations_.business_sent(r.recipient, r.timestamp);
      e.conversation_id = c.id;
      e.conversation_origin = c.origin;
    }
    out.add("status", status_event_json(e), status_key(r.id, r.status));
  }
  return out;
}

inbound_writes shard_events::inbound(const std::vector<inbound_message>& xs) {
  inbound_writes out;
  out.ids.reserve(xs.size());
  out.senders.reserve(xs.size());
  for (auto& m : xs) {
    conversations_.user_wrote(m.from, m.timestamp);
    out.ids.push_back(m.id);
    out.senders.push_back(m.from);
    inbound_event event{m.id, m.from, m.payload, m.timestamp,
                        m.profile_name};
    event.user_id = m.user_id;
    out.callbacks.add("message", inbound_event_json(event),
                      message_key(m.id));
  }
  return out;
}

} // namespace mc
