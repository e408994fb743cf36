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
  if (settings_->get().sent_status && settings_->webhooks_enabled()) {
    std::vector<std::string> payloads;
    payloads.reserve(done.size());
    auto now = static_cast<int64_t>(std::time(nullptr));
    for (auto& m : done)
      payloads.push_back(
        status_event_json({m.id, m.recipient, "sent", now, 0, {}}));
    queue("status", std::move(payloads));
  }
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
  std::vector<std::string> payloads;
  payloads.reserve(xs.size());
  for (auto& r : xs)
    payloads.push_back(
      status_event_json({r.id, r.recipient, r.status, r.timestamp,
                         r.error_code, r.error_title}));
  queue("status", std::move(payloads));
}

void shard_events::inbound(const std::vector<inbound_message>& xs) {
  if (!settings_->webhooks_enabled() || xs.empty())
    return;
  std::vector<std::string> payloads;
  payloads.reserve(xs.size());
  for (auto& m : xs)
    payloads.push_back(
      inbound_event_json({m.id, m.from, m.body, m.timestamp, {}}));
  queue("message", std::move(payloads));
}

void shard_events::queue(const char* kind, std::vector<std::string> payloads) {
  std::vector<std::string> kinds(payloads.size(), kind);
  caf::anon_send(writer_, callback_atom::value, shard_, std::move(kinds),
                 std::move(payloads));
}

} // namespace mc
