#include "actors/coreapp/shard_events.hpp"

#include <ctime>

#include <caf/send.hpp>

#include "actors/coreapp/db_writer.hpp"
#include "runtime/callback_payload.hpp"

namespace mc {

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
  bool report = status_wanted(settings_->get(), "sent")
                && settings_->webhooks_enabled();
  std::vector<std::string> payloads;
  payloads.reserve(report ? done.size() : 0);
  for (auto& m : done) {
    auto c = conversations_.business_sent(m.recipient, now);
    if (!report)
      continue;
    status_event e{m.id, m.recipient, "sent", now};
    e.conversation_id = c.id;
    e.conversation_origin = c.origin;
    // The reference reports the expiration with the sent status only.
    e.conversation_expiration = c.expires;
    payloads.push_back(status_event_json(e));
  }
  if (report)
    queue("status", std::move(payloads));
  if (flush_armed_ || acked_.empty())
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

void shard_events::receipts(const std::vector<upstream_receipt>& xs) {
  if (!settings_->webhooks_enabled() || xs.empty())
    return;
  // The webhooks.message toggles decide which statuses are posted.
  auto settings = settings_->get();
  std::vector<std::string> payloads;
  payloads.reserve(xs.size());
  for (auto& r : xs) {
    if (!status_wanted(settings, r.status))
      continue;
    status_event e{r.id,         r.recipient,   r.status,
                   r.timestamp,  r.error_code,  r.error_title};
    // developers.facebook.com/docs/whatsapp/api/webhooks/outbound: sent
    // and delivered carry the conversation and its pricing; read does not.
    if (r.status == "delivered") {
      auto c = conversations_.business_sent(r.recipient, r.timestamp);
      e.conversation_id = c.id;
      e.conversation_origin = c.origin;
    }
    payloads.push_back(status_event_json(e));
  }
  if (!payloads.empty())
    queue("status", std::move(payloads));
}

void shard_events::inbound(const std::vector<inbound_message>& xs) {
  if (xs.empty())
    return;
  std::vector<std::string> ids;
  std::vector<std::string> senders;
  ids.reserve(xs.size());
  senders.reserve(xs.size());
  for (auto& m : xs) {
    conversations_.user_wrote(m.from, m.timestamp);
    ids.push_back(m.id);
    senders.push_back(m.from);
  }
  // Sent before the callbacks: the writer's mailbox keeps the order, so
  // the sender is on record before the webhook can tell anyone the id.
  caf::anon_send(writer_, inbound_seen_atom::value, shard_, std::move(ids),
                 std::move(senders));
  if (!settings_->webhooks_enabled())
    return;
  std::vector<std::string> payloads;
  payloads.reserve(xs.size());
  for (auto& m : xs)
    payloads.push_back(inbound_event_json(
      {m.id, m.from, m.payload, m.timestamp, m.profile_name}));
  queue("message", std::move(payloads));
}

void shard_events::queue(const char* kind, std::vector<std::string> payloads) {
  std::vector<std::string> kinds(payloads.size(), kind);
  caf::anon_send(writer_, callback_atom::value, shard_, std::move(kinds),
                 std::move(payloads));
}

} // namespace mc
