#include "http/cloud_sim/cloud_sim_query_json.hpp"

#include "runtime/json_util.hpp"

namespace mc {

namespace {

void write_u64(json_writer& w, const char* key, uint64_t v) {
  w.Key(key);
  w.Uint64(v);
}

void write_webhook_counts(json_writer& w, const cloud_webhook_counts& c) {
  w.StartObject();
  write_u64(w, "submitted", c.submitted);
  write_u64(w, "refused", c.refused);
  write_u64(w, "attempts", c.attempts);
  write_u64(w, "failures", c.failures);
  write_u64(w, "delivered_posts", c.delivered_posts);
  write_u64(w, "delivered_events", c.delivered_events);
  write_u64(w, "dropped_events", c.dropped_events);
  write_u64(w, "discarded_events", c.discarded_events);
  write_u64(w, "pending", c.pending);
  w.EndObject();
}

void write_message(json_writer& w, const cloud_sent_message& m) {
  w.StartObject();
  write_u64(w, "seq", m.seq);
  write_member(w, "id", m.wamid);
  write_member(w, "recipient", m.recipient);
  w.Key("by_user_id");
  w.Bool(m.by_user_id);
  write_member(w, "type", m.type);
  w.Key("timestamp");
  w.Int64(m.timestamp);
  w.Key("duplicate");
  w.Bool(m.duplicate);
  write_member(w, "body", m.body);
  w.EndObject();
}

std::string done(const rapidjson::StringBuffer& buf) {
  return {buf.GetString(), buf.GetSize()};
}

} // namespace

std::string cloud_stats_json(cloud_sim_parts& parts) {
  auto c = parts.ledger->counts();
  auto m = parts.media->counts();
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_u64(w, "sends", c.sends);
  write_u64(w, "accepted", c.accepted);
  write_u64(w, "duplicates", c.duplicates);
  write_u64(w, "reads", c.reads);
  write_u64(w, "inbound", c.inbound);
  w.Key("refused");
  w.StartObject();
  for (auto& [code, n] : c.refused)
    write_u64(w, std::to_string(code).c_str(), n);
  w.EndObject();
  w.Key("media");
  w.StartObject();
  write_u64(w, "uploads", m.uploads);
  write_u64(w, "retrievals", m.retrievals);
  write_u64(w, "downloads", m.downloads);
  write_u64(w, "deletes", m.deletes);
  write_u64(w, "stored", m.stored);
  write_u64(w, "stored_bytes", m.stored_bytes);
  w.EndObject();
  w.Key("webhooks");
  write_webhook_counts(w, parts.webhooks->counts());
  w.Key("faults");
  w.StartObject();
  w.Key("failing_sends");
  w.Int(parts.faults->pending_send_failures());
  w.Key("latency_ms");
  w.Int(parts.faults->latency_ms());
  auto mode = parts.faults->webhook_mode();
  write_member(w, "webhooks", mode == cloud_webhook_mode::refuse  ? "refuse"
                              : mode == cloud_webhook_mode::pause ? "pause"
                                                                  : "normal");
  w.EndObject();
  w.EndObject();
  return done(buf);
}

std::string cloud_messages_json(const std::vector<cloud_sent_message>& xs) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  w.Key("messages");
  w.StartArray();
  for (auto& m : xs)
    write_message(w, m);
  w.EndArray();
  w.EndObject();
  return done(buf);
}

std::string cloud_message_json(const cloud_sent_message& m) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  write_message(w, m);
  return done(buf);
}

std::string cloud_reads_json(cloud_sim_ledger& ledger) {
  auto reads = ledger.reads();
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_u64(w, "total", ledger.counts().reads);
  w.Key("reads");
  w.StartArray();
  for (auto& r : reads) {
    w.StartObject();
    write_member(w, "message_id", r.message_id);
    w.Key("timestamp");
    w.Int64(r.timestamp);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return done(buf);
}

std::string cloud_webhooks_json(cloud_sim_webhooks& hooks) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  w.Key("counts");
  write_webhook_counts(w, hooks.counts());
  w.Key("attempts");
  w.StartArray();
  for (auto& a : hooks.attempts()) {
    w.StartObject();
    write_u64(w, "batch", a.batch);
    w.Key("attempt");
    w.Int(a.attempt);
    w.Key("status");
    w.Int(a.status);
    w.Key("ok");
    w.Bool(a.ok);
    write_u64(w, "events", a.events);
    write_member(w, "error", a.error);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return done(buf);
}

std::string cloud_verification_json(const cloud_webhook_verification& v) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  w.Key("ok");
  w.Bool(v.ok);
  w.Key("status");
  w.Int(v.status);
  write_member(w, "challenge", v.challenge);
  write_member(w, "echo", v.echo);
  write_member(w, "error", v.error);
  w.EndObject();
  return done(buf);
}

std::string cloud_templates_json(cloud_sim_templates& templates) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  w.Key("templates");
  w.StartArray();
  for (auto& t : templates.list()) {
    w.StartObject();
    write_member(w, "name", t.name);
    write_member(w, "language", t.language);
    write_member(w, "category", t.category);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return done(buf);
}

} // namespace mc
