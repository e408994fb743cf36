#include "runtime/callback_payload.hpp"

#include <algorithm>
#include <string_view>

#include "runtime/json_util.hpp"
#include "runtime/onprem_codes.hpp"

namespace mc {

namespace {

/// Reads a string member of `obj` into `out`; false when absent/mistyped.
bool get_string(const rapidjson::Value& obj, const char* key,
                std::string_view& out) {
  auto i = obj.FindMember(key);
  if (i == obj.MemberEnd() || !i->value.IsString())
    return false;
  out = as_view(i->value);
  return true;
}

bool get_int64(const rapidjson::Value& obj, const char* key, int64_t& out) {
  auto i = obj.FindMember(key);
  if (i == obj.MemberEnd() || !i->value.IsInt64())
    return false;
  out = i->value.GetInt64();
  return true;
}

/// Parses a stored event; false when it is not an object.
bool load(const std::string& json, rapidjson::Document& doc) {
  std::string error;
  return parse_json(json, doc, error) && doc.IsObject();
}

void write_timestamp(json_writer& w, int64_t ts) {
  w.Key("timestamp");
  auto text = std::to_string(ts);
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

} // namespace

std::string status_event_json(const status_event& e) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_member(w, "id", e.id);
  write_member(w, "recipient_id", e.recipient_id);
  write_member(w, "status", e.status);
  w.Key("timestamp");
  w.Int64(e.timestamp);
  if (e.error_code != 0) {
    w.Key("error_code");
    w.Int(e.error_code);
    write_member(w, "error_title", e.error_title);
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
  write_member(w, "body", e.body);
  w.Key("timestamp");
  w.Int64(e.timestamp);
  if (!e.profile_name.empty())
    write_member(w, "profile_name", e.profile_name);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::string webhook_body(const std::vector<std::string>& status_jsons,
                         const std::vector<std::string>& message_jsons) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  struct status {
    rapidjson::Document doc;
    std::string_view id, recipient, status, title;
    int64_t ts = 0;
    int64_t code = 0;
  };
  std::vector<status> statuses(status_jsons.size());
  size_t count = 0;
  for (auto& json : status_jsons) {
    auto& s = statuses[count];
    if (!load(json, s.doc) || !get_string(s.doc, "id", s.id)
        || !get_string(s.doc, "recipient_id", s.recipient)
        || !get_string(s.doc, "status", s.status)
        || !get_int64(s.doc, "timestamp", s.ts))
      continue;
    get_int64(s.doc, "error_code", s.code);
    get_string(s.doc, "error_title", s.title);
    ++count;
  }
  statuses.resize(count);
  if (!statuses.empty()) {
    w.Key("statuses");
    w.StartArray();
    for (auto& s : statuses) {
      w.StartObject();
      // On-Prem attaches the reason of a failed message as "errors".
      if (s.code != 0) {
        w.Key("errors");
        w.StartArray();
        w.StartObject();
        w.Key("code");
        w.Int64(s.code);
        write_member(w, "title",
                     s.title.empty() ? error_title(static_cast<int>(s.code))
                                     : s.title);
        w.EndObject();
        w.EndArray();
      }
      write_member(w, "id", s.id);
      write_member(w, "recipient_id", s.recipient);
      write_member(w, "status", s.status);
      write_timestamp(w, s.ts);
      w.EndObject();
    }
    w.EndArray();
  }
  {
    struct message {
      rapidjson::Document doc;
      std::string_view id, from, body, name;
      int64_t ts = 0;
    };
    std::vector<message> messages(message_jsons.size());
    size_t n = 0;
    for (auto& json : message_jsons) {
      auto& m = messages[n];
      if (!load(json, m.doc) || !get_string(m.doc, "id", m.id)
          || !get_string(m.doc, "from", m.from)
          || !get_string(m.doc, "body", m.body)
          || !get_int64(m.doc, "timestamp", m.ts))
        continue;
      if (!get_string(m.doc, "profile_name", m.name) || m.name.empty())
        m.name = m.from;
      ++n;
    }
    messages.resize(n);
    if (messages.empty()) {
      w.EndObject();
      return {buf.GetString(), buf.GetSize()};
    }
    w.Key("contacts");
    w.StartArray();
    std::vector<std::string_view> seen;
    for (auto& m : messages) {
      if (std::find(seen.begin(), seen.end(), m.from) != seen.end())
        continue;
      seen.push_back(m.from);
      w.StartObject();
      w.Key("profile");
      w.StartObject();
      write_member(w, "name", m.name);
      w.EndObject();
      write_member(w, "wa_id", m.from);
      w.EndObject();
    }
    w.EndArray();
    w.Key("messages");
    w.StartArray();
    for (auto& m : messages) {
      w.StartObject();
      write_member(w, "from", m.from);
      write_member(w, "id", m.id);
      write_timestamp(w, m.ts);
      w.Key("text");
      w.StartObject();
      write_member(w, "body", m.body);
      w.EndObject();
      write_member(w, "type", "text");
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

} // namespace mc
