#include "runtime/callback_payload.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include "runtime/inbound_payload.hpp"
#include "runtime/json_util.hpp"
#include "runtime/onprem_codes.hpp"

namespace mc {

namespace {

/// On-Prem's error for a message type the client does not support
/// (developers.facebook.com/docs/whatsapp/api/webhooks/inbound, "Unknown
/// Messages"): what an unreadable payload is reported as.
constexpr const char* unknown_payload
  = R"({"type":"unknown","errors":[{"code":501,"title":"Unknown message type",)"
    R"("details":"Message type is not currently supported"}]})";

/// The string member `key` of `obj`, if it is one.
std::optional<std::string_view> get_string(const rapidjson::Value& obj,
                                           const char* key) {
  auto i = obj.FindMember(key);
  if (i == obj.MemberEnd() || !i->value.IsString())
    return std::nullopt;
  return as_view(i->value);
}

std::optional<int64_t> get_int64(const rapidjson::Value& obj,
                                 const char* key) {
  auto i = obj.FindMember(key);
  if (i == obj.MemberEnd() || !i->value.IsInt64())
    return std::nullopt;
  return i->value.GetInt64();
}

/// The object member `key` of `obj`, or nullptr.
const rapidjson::Value* get_object(const rapidjson::Value& obj,
                                   const char* key) {
  auto i = obj.FindMember(key);
  if (i == obj.MemberEnd() || !i->value.IsObject())
    return nullptr;
  return &i->value;
}

/// Parses a stored event; false when it is not an object.
bool load(const std::string& json, rapidjson::Document& doc) {
  std::string error;
  return parse_json(json, doc, error) && doc.IsObject();
}

/// On-Prem writes every timestamp as a string of unix seconds.
void write_timestamp(json_writer& w, const char* key, int64_t ts) {
  w.Key(key);
  auto text = std::to_string(ts);
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

/// A stored status, read back.
struct stored_status {
  rapidjson::Document doc;
  std::string_view id, recipient, status;
  int64_t ts = 0;
};

bool read_status(const std::string& json, stored_status& s) {
  if (!load(json, s.doc))
    return false;
  auto id = get_string(s.doc, "id");
  auto recipient = get_string(s.doc, "recipient_id");
  auto status = get_string(s.doc, "status");
  auto ts = get_int64(s.doc, "timestamp");
  if (!id || !recipient || !status || !ts)
    return false;
  s.id = *id;
  s.recipient = *recipient;
  s.status = *status;
  s.ts = *ts;
  return true;
}

void write_status(json_writer& w, const stored_status& s) {
  w.StartObject();
  // On-Prem attaches the reason of a failed message as "errors".
  if (auto code = get_int64(s.doc, "error_code"); code && *code != 0) {
    auto title = get_string(s.doc, "error_title");
    w.Key("errors");
    w.StartArray();
    w.StartObject();
    w.Key("code");
    w.Int64(*code);
    write_member(w, "title",
                 title && !title->empty() ? *title
                                          : error_title(static_cast<int>(*code)));
    w.EndObject();
    w.EndArray();
  }
  write_member(w, "id", s.id);
  write_member(w, "recipient_id", s.recipient);
  if (auto uid = get_string(s.doc, "recipient_user_id"); uid && !uid->empty())
    write_member(w, "recipient_user_id", *uid);
  write_member(w, "status", s.status);
  write_timestamp(w, "timestamp", s.ts);
  // Stored in their webhook shape already (status_event_json).
  for (auto* key : {"conversation", "pricing"})
    if (auto* obj = get_object(s.doc, key)) {
      w.Key(key);
      obj->Accept(w);
    }
  w.EndObject();
}

/// A stored inbound message, read back; `message` is its message object.
struct stored_message {
  rapidjson::Document doc;
  std::string_view id, from, name, user_id;
  int64_t ts = 0;
  const rapidjson::Value* message = nullptr;
  /// A row stored before messages carried their object: a text body.
  std::string_view legacy_body;
  bool system = false;
};

bool read_message(const std::string& json, stored_message& m) {
  if (!load(json, m.doc))
    return false;
  auto id = get_string(m.doc, "id");
  auto from = get_string(m.doc, "from");
  auto ts = get_int64(m.doc, "timestamp");
  if (!id || !from || !ts)
    return false;
  m.id = *id;
  m.from = *from;
  m.ts = *ts;
  m.message = get_object(m.doc, "message");
  if (!m.message) {
    auto body = get_string(m.doc, "body");
    if (!body)
      return false;
    m.legacy_body = *body;
  } else {
    auto type = get_string(*m.message, "type");
    m.system = type && *type == "system";
  }
  auto name = get_string(m.doc, "profile_name");
  m.name = name && !name->empty() ? *name : m.from;
  if (auto uid = get_string(m.doc, "user_id"))
    m.user_id = *uid;
  return true;
}

void write_message(json_writer& w, const stored_message& m) {
  w.StartObject();
  write_member(w, "from", m.from);
  if (!m.user_id.empty())
    write_member(w, "from_user_id", m.user_id);
  write_member(w, "id", m.id);
  write_timestamp(w, "timestamp", m.ts);
  if (!m.message) {
    w.Key("text");
    w.StartObject();
    write_member(w, "body", m.legacy_body);
    w.EndObject();
    write_member(w, "type", "text");
  } else {
    for (auto& member : m.message->GetObject()) {
      auto key = as_view(member.name);
      if (key == "from" || key == "id" || key == "timestamp"
          || key == "from_user_id")
        continue;
      w.Key(member.name.GetString(), member.name.GetStringLength());
      member.value.Accept(w);
    }
  }
  w.EndObject();
}

} // namespace

std::string status_event_json(const status_event& e) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_member(w, "id", e.id);
  write_member(w, "recipient_id", e.recipient_id);
  if (!e.recipient_user_id.empty())
    write_member(w, "recipient_user_id", e.recipient_user_id);
  write_member(w, "status", e.status);
  w.Key("timestamp");
  w.Int64(e.timestamp);
  if (e.error_code != 0) {
    w.Key("error_code");
    w.Int(e.error_code);
    write_member(w, "error_title", e.error_title);
  }
  if (!e.conversation_id.empty()) {
    // developers.facebook.com/docs/whatsapp/api/webhooks/outbound: the
    // conversation and its pricing (conversation-based pricing, "CBP"),
    // the category being who opened the conversation.
    w.Key("conversation");
    w.StartObject();
    write_member(w, "id", e.conversation_id);
    if (e.conversation_expiration != 0)
      write_timestamp(w, "expiration_timestamp", e.conversation_expiration);
    w.Key("origin");
    w.StartObject();
    write_member(w, "type", e.conversation_origin);
    w.EndObject();
    w.EndObject();
    w.Key("pricing");
    w.StartObject();
    w.Key("billable");
    w.Bool(true);
    write_member(w, "pricing_model", "CBP");
    write_member(w, "category", e.conversation_origin);
    w.EndObject();
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::string inbound_event_json(const inbound_event& e) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_member(w, "id", e.id);
  write_member(w, "from", e.from);
  w.Key("timestamp");
  w.Int64(e.timestamp);
  if (!e.profile_name.empty())
    write_member(w, "profile_name", e.profile_name);
  if (!e.user_id.empty())
    write_member(w, "user_id", e.user_id);
  // Checked first: a raw value goes into the stored JSON as it is.
  std::string_view payload = e.payload;
  if (!inbound_type(payload))
    payload = unknown_payload;
  w.Key("message");
  w.RawValue(payload.data(), payload.size(), rapidjson::kObjectType);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::string webhook_body(const std::vector<std::string>& status_jsons,
                         const std::vector<std::string>& message_jsons) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  std::vector<stored_status> statuses(status_jsons.size());
  size_t n = 0;
  for (auto& json : status_jsons)
    if (read_status(json, statuses[n]))
      ++n;
  statuses.resize(n);
  if (!statuses.empty()) {
    w.Key("statuses");
    w.StartArray();
    for (auto& s : statuses)
      write_status(w, s);
    w.EndArray();
  }
  std::vector<stored_message> messages(message_jsons.size());
  n = 0;
  for (auto& json : message_jsons)
    if (read_message(json, messages[n]))
      ++n;
  messages.resize(n);
  if (!messages.empty()) {
    std::vector<std::string_view> seen;
    for (auto& m : messages)
      if (!m.system
          && std::find(seen.begin(), seen.end(), m.from) == seen.end())
        seen.push_back(m.from);
    if (!seen.empty()) {
      w.Key("contacts");
      w.StartArray();
      for (auto from : seen) {
        auto m = std::find_if(messages.begin(), messages.end(),
                              [&](auto& x) { return !x.system && x.from == from; });
        w.StartObject();
        w.Key("profile");
        w.StartObject();
        write_member(w, "name", m->name);
        w.EndObject();
        write_member(w, "wa_id", from);
        if (!m->user_id.empty())
          write_member(w, "user_id", m->user_id);
        w.EndObject();
      }
      w.EndArray();
    }
    w.Key("messages");
    w.StartArray();
    for (auto& m : messages)
      write_message(w, m);
    w.EndArray();
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

} // namespace mc
