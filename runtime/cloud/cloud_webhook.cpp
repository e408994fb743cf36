#include "runtime/cloud/cloud_webhook.hpp"

#include <cstdlib>
#include <initializer_list>

#include <rapidjson/document.h>

#include "actors/protocol/errors.hpp"
#include "runtime/cloud/cloud_send_answer.hpp"
#include "runtime/inbound_payload.hpp"
#include "runtime/json_util.hpp"
#include "runtime/onprem_codes.hpp"

namespace mc {

namespace {

using rapidjson::Value;

const Value* member(const Value& obj, const char* key) {
  if (!obj.IsObject())
    return nullptr;
  auto i = obj.FindMember(key);
  return i == obj.MemberEnd() ? nullptr : &i->value;
}

std::string string_of(const Value& obj, const char* key) {
  auto v = member(obj, key);
  return v != nullptr && v->IsString() ? std::string{as_view(*v)}
                                       : std::string{};
}

/// Cloud timestamps are strings of unix seconds; numbers are taken too.
int64_t timestamp_of(const Value& obj, const char* key) {
  auto v = member(obj, key);
  if (v == nullptr)
    return 0;
  if (v->IsInt64())
    return v->GetInt64();
  if (!v->IsString())
    return 0;
  return std::strtoll(v->GetString(), nullptr, 10);
}

/// Writes the members `keys` of `obj` that it has, as they are.
void copy_members(json_writer& w, const Value& obj,
                  std::initializer_list<const char*> keys) {
  for (auto key : keys)
    if (auto v = member(obj, key)) {
      w.Key(key);
      v->Accept(w);
    }
}

/// The media members both APIs share (Cloud adds url, animated, voice).
constexpr std::initializer_list<const char*> media_members
  = {"id", "mime_type", "sha256", "caption", "filename"};

/// The On-Prem "unknown" message (developers.facebook.com/docs/whatsapp/
/// api/webhooks/inbound, "Unknown Messages"), naming the Cloud's reason.
std::string unknown_payload(const Value& msg) {
  std::string details = "Message type is not currently supported";
  auto errs = member(msg, "errors");
  if (errs != nullptr && errs->IsArray() && !errs->Empty()) {
    auto& e = (*errs)[0];
    auto d = member(e, "error_data");
    auto text = d != nullptr ? string_of(*d, "details") : std::string{};
    if (text.empty())
      text = string_of(e, "title");
    if (!text.empty())
      details = text;
  } else if (auto t = string_of(msg, "type"); !t.empty()) {
    details += " (Cloud type " + t + ")";
  }
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_member(w, "type", "unknown");
  w.Key("errors");
  w.StartArray();
  w.StartObject();
  w.Key("code");
  w.Int(501);
  write_member(w, "title", "Unknown message type");
  write_member(w, "details", details);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

/// The On-Prem object of a Cloud message of `type`; false when On-Prem has
/// no counterpart. `onprem_type` is the type it is reported as.
bool write_object(json_writer& w, const std::string& type, const Value& obj,
                  std::string& onprem_type) {
  onprem_type = type;
  if (type == "text") {
    w.StartObject();
    copy_members(w, obj, {"body"});
    w.EndObject();
  } else if (type == "image" || type == "video" || type == "document"
             || type == "sticker" || type == "audio") {
    // A voice note is audio with "voice":true in the Cloud API, its own
    // type in On-Prem.
    auto voice = member(obj, "voice");
    if (type == "audio" && voice != nullptr && voice->IsBool()
        && voice->GetBool())
      onprem_type = "voice";
    w.StartObject();
    copy_members(w, obj, media_members);
    w.EndObject();
  } else if (type == "location") {
    w.StartObject();
    copy_members(w, obj, {"address", "latitude", "longitude", "name", "url"});
    w.EndObject();
  } else if (type == "contacts" || type == "reaction" || type == "button") {
    // The same objects in both APIs.
    obj.Accept(w);
  } else if (type == "interactive") {
    auto kind = string_of(obj, "type");
    if (kind != "button_reply" && kind != "list_reply")
      return false;
    auto reply = member(obj, kind.c_str());
    if (reply == nullptr || !reply->IsObject())
      return false;
    w.StartObject();
    write_member(w, "type", kind);
    w.Key(kind.c_str());
    w.StartObject();
    copy_members(w, *reply, {"id", "title", "description"});
    w.EndObject();
    w.EndObject();
  } else if (type == "system") {
    w.StartObject();
    copy_members(w, obj, {"body", "type", "new_wa_id", "wa_id", "identity",
                          "customer"});
    w.EndObject();
  } else {
    return false;
  }
  return true;
}

/// The On-Prem payload of one Cloud message, less from, id and timestamp.
std::string onprem_payload(const Value& msg) {
  auto type = string_of(msg, "type");
  auto obj = member(msg, type.c_str());
  bool array_ok = type == "contacts";
  if (type.empty() || obj == nullptr
      || !(array_ok ? obj->IsArray() : obj->IsObject()))
    return unknown_payload(msg);
  rapidjson::StringBuffer body_buf;
  json_writer bw{body_buf};
  std::string onprem_type;
  if (!write_object(bw, type, *obj, onprem_type))
    return unknown_payload(msg);
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_member(w, "type", onprem_type);
  w.Key(onprem_type.c_str());
  w.RawValue(body_buf.GetString(), body_buf.GetSize(),
             array_ok ? rapidjson::kArrayType : rapidjson::kObjectType);
  if (auto ctx = member(msg, "context"); ctx != nullptr && ctx->IsObject()) {
    w.Key("context");
    w.StartObject();
    copy_members(w, *ctx, {"from", "id", "forwarded",
                           "frequently_forwarded"});
    w.EndObject();
  }
  w.EndObject();
  std::string out{buf.GetString(), buf.GetSize()};
  // Every payload we make must be one the callback path carries.
  return inbound_type(out) ? out : unknown_payload(msg);
}

/// The contacts[] entry of a sender: by wa_id, else by user_id, else the
/// only one.
const Value* contact_of(const Value& contacts, const std::string& from,
                        const std::string& user_id) {
  if (!contacts.IsArray())
    return nullptr;
  for (auto& c : contacts.GetArray()) {
    auto wa = string_of(c, "wa_id");
    auto uid = string_of(c, "user_id");
    if ((!from.empty() && wa == from) || (!user_id.empty() && uid == user_id))
      return &c;
  }
  return contacts.Size() == 1 ? &contacts[0] : nullptr;
}

void read_message(const Value& msg, const Value* contacts,
                  const std::string& phone_number_id,
                  cloud_webhook_batch& out) {
  cloud_inbound in;
  in.phone_number_id = phone_number_id;
  in.message.id = string_of(msg, "id");
  auto from = string_of(msg, "from");
  in.from_user_id = string_of(msg, "from_user_id");
  const Value* contact = contacts != nullptr
                           ? contact_of(*contacts, from, in.from_user_id)
                           : nullptr;
  if (contact != nullptr) {
    if (in.from_user_id.empty())
      in.from_user_id = string_of(*contact, "user_id");
    if (auto p = member(*contact, "profile"))
      in.message.profile_name = string_of(*p, "name");
  }
  // A user who hides the number is known by the BSUID alone.
  in.message.from = from.empty() ? in.from_user_id : from;
  in.message.timestamp = timestamp_of(msg, "timestamp");
  in.message.payload = onprem_payload(msg);
  auto type = string_of(msg, "type");
  for (auto kind : {"image", "audio", "video", "document", "sticker"})
    if (type == kind)
      if (auto obj = member(msg, kind))
        in.media_id = string_of(*obj, "id");
  if (in.message.id.empty() || in.message.from.empty())
    return;
  out.messages.push_back(std::move(in));
}

void read_status(const Value& st, const std::string& phone_number_id,
                 cloud_webhook_batch& out) {
  cloud_status s;
  s.phone_number_id = phone_number_id;
  s.wamid = string_of(st, "id");
  s.status = string_of(st, "status");
  if (s.wamid.empty()
      || (s.status != "sent" && s.status != "delivered" && s.status != "read"
          && s.status != "failed"))
    return;
  s.recipient = string_of(st, "recipient_id");
  s.recipient_user_id = string_of(st, "recipient_user_id");
  s.timestamp = timestamp_of(st, "timestamp");
  if (auto conv = member(st, "conversation")) {
    s.conversation_id = string_of(*conv, "id");
    s.conversation_expiration = timestamp_of(*conv, "expiration_timestamp");
    if (auto origin = member(*conv, "origin"))
      s.conversation_origin = string_of(*origin, "type");
  }
  auto errs = member(st, "errors");
  if (errs != nullptr && errs->IsArray() && !errs->Empty()) {
    auto& e = (*errs)[0];
    auto code = member(e, "code");
    s.cloud_error_code = code != nullptr && code->IsInt() ? code->GetInt() : 0;
    auto title = string_of(e, "title");
    if (title.empty())
      title = string_of(e, "message");
    std::string details;
    if (auto d = member(e, "error_data"))
      details = string_of(*d, "details");
    s.error_details = "Cloud API error " + std::to_string(s.cloud_error_code)
                      + ": " + title;
    if (!details.empty())
      s.error_details += " (" + details + ")";
  }
  if (s.status == "failed" || s.cloud_error_code != 0) {
    s.error_code = onprem_code_of(s.cloud_error_code);
    s.error_title = std::string{error_title(s.error_code)};
  }
  out.statuses.push_back(std::move(s));
}

void read_value(const Value& value, cloud_webhook_batch& out) {
  std::string phone_number_id;
  if (auto meta = member(value, "metadata"))
    phone_number_id = string_of(*meta, "phone_number_id");
  if (out.phone_number_id.empty())
    out.phone_number_id = phone_number_id;
  auto contacts = member(value, "contacts");
  if (auto msgs = member(value, "messages"); msgs && msgs->IsArray())
    for (auto& m : msgs->GetArray())
      read_message(m, contacts, phone_number_id, out);
  if (auto sts = member(value, "statuses"); sts && sts->IsArray())
    for (auto& s : sts->GetArray())
      read_status(s, phone_number_id, out);
}

} // namespace

caf::expected<cloud_webhook_batch> parse_cloud_webhook(std::string_view body) {
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_object(body, doc, error))
    return make_error(mc_errc::malformed_document, std::move(error));
  auto entries = member(doc, "entry");
  if (string_of(doc, "object") != "whatsapp_business_account"
      || entries == nullptr || !entries->IsArray())
    return make_error(mc_errc::malformed_document,
                      "not a WhatsApp Business Account webhook");
  cloud_webhook_batch out;
  for (auto& entry : entries->GetArray()) {
    auto changes = member(entry, "changes");
    if (changes == nullptr || !changes->IsArray())
      continue;
    for (auto& change : changes->GetArray()) {
      auto field = member(change, "field");
      if (field != nullptr && (!field->IsString()
                               || as_view(*field) != "messages"))
        continue;
      if (auto value = member(change, "value"); value && value->IsObject())
        read_value(*value, out);
    }
  }
  return out;
}

} // namespace mc
