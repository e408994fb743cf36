#include "http/cloud_sim/cloud_status_events.hpp"

#include <chrono>

#include "runtime/json_util.hpp"
#include "runtime/sha256.hpp"

namespace mc {

namespace {

constexpr int64_t conversation_s = 24 * 3600;

std::string status_json(const cloud_sent_message& m, const char* status,
                        int64_t timestamp, const std::string& category,
                        bool priced, bool with_expiry) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_member(w, "id", m.wamid);
  write_member(w, "status", status);
  write_member(w, "timestamp", std::to_string(timestamp));
  // A BSUID-only send has no phone number to name.
  if (m.by_user_id)
    write_member(w, "recipient_user_id", m.recipient);
  else
    write_member(w, "recipient_id", m.recipient);
  if (priced) {
    bool billable = category != "service";
    // One conversation per recipient and day.
    auto day = m.timestamp / conversation_s;
    w.Key("conversation");
    w.StartObject();
    write_member(w, "id", sha256_hex(m.recipient + '/' + category + '/'
                                     + std::to_string(day))
                            .substr(0, 32));
    if (with_expiry)
      write_member(w, "expiration_timestamp",
                   std::to_string((day + 1) * conversation_s));
    w.Key("origin");
    w.StartObject();
    write_member(w, "type", category);
    w.EndObject();
    w.EndObject();
    w.Key("pricing");
    w.StartObject();
    w.Key("billable");
    w.Bool(billable);
    write_member(w, "pricing_model", "PMP");
    write_member(w, "type", billable ? "regular" : "free_customer_service");
    write_member(w, "category", category);
    w.EndObject();
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

cloud_timed_event event(std::string json, int delay_ms) {
  cloud_webhook_event e;
  e.object = std::move(json);
  return {std::move(e), delay_ms};
}

} // namespace

std::vector<cloud_timed_event> cloud_status_events(
  const cloud_sent_message& m, const std::string& category, int delivered_ms,
  int read_ms) {
  std::vector<cloud_timed_event> out;
  out.push_back(
    event(status_json(m, "sent", m.timestamp, category, true, true), 0));
  out.push_back(event(status_json(m, "delivered",
                                  m.timestamp + delivered_ms / 1000, category,
                                  true, false),
                      delivered_ms));
  if (read_ms > 0) {
    // Read comes after delivered whatever the two delays say.
    auto at = std::max(read_ms, delivered_ms);
    out.push_back(event(status_json(m, "read", m.timestamp + at / 1000,
                                    category, false, false),
                        at));
  }
  return out;
}

} // namespace mc
