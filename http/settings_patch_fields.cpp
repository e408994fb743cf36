#include "http/settings_patch_fields.hpp"

#include <string>

namespace mc::http {

api_error invalid_setting(std::string details) {
  return make_api_error(codes::invalid_parameter, std::move(details));
}

api_error unknown_setting(std::string_view name) {
  return make_api_error(codes::parameter_not_required,
                        "unknown field '" + clip(name) + "'");
}

std::optional<api_error> apply_bool_setting(bool& out, std::string_view name,
                                            const rapidjson::Value& v) {
  if (!v.IsBool())
    return invalid_setting(std::string{name} + " must be a boolean, got "
                           + json_kind(v));
  out = v.GetBool();
  return std::nullopt;
}

namespace {

/// media: {"auto_download": ["image", ...]}, each type once.
std::optional<api_error> apply_media(app_settings& s,
                                     const rapidjson::Value& v) {
  if (!v.IsObject())
    return invalid_setting(std::string{"media must be an object, got "}
                           + json_kind(v));
  for (auto& m : v.GetObject()) {
    if (as_view(m.name) != "auto_download")
      return unknown_setting("media." + std::string{as_view(m.name)});
    if (!m.value.IsArray())
      return invalid_setting("media.auto_download must be an array");
    std::vector<std::string> types;
    for (auto& t : m.value.GetArray()) {
      if (!t.IsString() || !valid_auto_download_type(as_view(t)))
        return invalid_setting("media.auto_download entries must be audio, "
                               "document, image, sticker, video or voice");
      std::string type{as_view(t)};
      for (auto& seen : types)
        if (seen == type)
          return invalid_setting("media.auto_download lists '" + type
                                 + "' twice");
      types.push_back(std::move(type));
    }
    s.media_auto_download = std::move(types);
  }
  return std::nullopt;
}

/// garbagecollector_enable: {"media": bool, "messages": bool}.
std::optional<api_error> apply_gc(app_settings& s, const rapidjson::Value& v) {
  if (!v.IsObject())
    return invalid_setting(
        std::string{"garbagecollector_enable must be an object, "
                    "got "}
        + json_kind(v));
  for (auto& m : v.GetObject()) {
    auto name = as_view(m.name);
    std::optional<api_error> err;
    if (name == "media")
      err = apply_bool_setting(s.garbagecollector_media,
                               "garbagecollector_enable.media", m.value);
    else if (name == "messages")
      err = apply_bool_setting(s.garbagecollector_messages,
                               "garbagecollector_enable.messages", m.value);
    else
      err = unknown_setting("garbagecollector_enable." + std::string{name});
    if (err)
      return err;
  }
  return std::nullopt;
}

/// on_call_pager: the wa_id (digits) of a WhatsApp contact, "" for none.
std::optional<api_error> apply_pager(app_settings& s,
                                     const rapidjson::Value& v) {
  if (!v.IsString())
    return invalid_setting(std::string{"on_call_pager must be a string, got "}
                           + json_kind(v));
  auto id = as_view(v);
  bool digits = id.size() <= 20;
  for (char c : id)
    digits = digits && c >= '0' && c <= '9';
  if (!digits)
    return invalid_setting(
        "on_call_pager must be a wa_id (digits only) or \"\"");
  s.on_call_pager.assign(id);
  return std::nullopt;
}

} // namespace

bool is_documented_field(std::string_view name) {
  for (auto n : {"pass_through", "media", "db_garbagecollector_enable",
                 "garbagecollector_enable", "on_call_pager",
                 "notify_user_change_number", "show_security_notifications"})
    if (name == n)
      return true;
  return false;
}

std::optional<api_error> apply_documented_field(app_settings& s,
                                                std::string_view name,
                                                const rapidjson::Value& v) {
  if (name == "pass_through")
    return apply_bool_setting(s.pass_through, name, v);
  if (name == "media")
    return apply_media(s, v);
  if (name == "db_garbagecollector_enable")
    return apply_bool_setting(s.db_garbagecollector_enable, name, v);
  if (name == "garbagecollector_enable")
    return apply_gc(s, v);
  if (name == "on_call_pager")
    return apply_pager(s, v);
  if (name == "notify_user_change_number")
    return apply_bool_setting(s.notify_user_change_number, name, v);
  if (name == "show_security_notifications")
    return apply_bool_setting(s.show_security_notifications, name, v);
  return unknown_setting(name);
}

std::optional<api_error> apply_message_toggles(app_settings& s,
                                               const rapidjson::Value& v) {
  if (!v.IsObject())
    return invalid_setting(
        std::string{"webhooks.message must be an object, got "} + json_kind(v));
  for (auto& m : v.GetObject()) {
    auto name = as_view(m.name);
    std::optional<api_error> err;
    if (name == "sent")
      err =
          apply_bool_setting(s.webhook_sent, "webhooks.message.sent", m.value);
    else if (name == "delivered")
      err = apply_bool_setting(s.webhook_delivered,
                               "webhooks.message.delivered", m.value);
    else if (name == "read")
      err =
          apply_bool_setting(s.webhook_read, "webhooks.message.read", m.value);
    else
      err = unknown_setting("webhooks.message." + std::string{name});
    if (err)
      return err;
  }
  return std::nullopt;
}

void write_documented_fields(json_writer& w, const app_settings& s) {
  w.Key("db_garbagecollector_enable");
  w.Bool(s.db_garbagecollector_enable);
  w.Key("garbagecollector_enable");
  w.StartObject();
  w.Key("media");
  w.Bool(s.garbagecollector_media);
  w.Key("messages");
  w.Bool(s.garbagecollector_messages);
  w.EndObject();
  w.Key("media");
  w.StartObject();
  w.Key("auto_download");
  w.StartArray();
  for (auto& t : s.media_auto_download)
    w.String(t.data(), static_cast<rapidjson::SizeType>(t.size()));
  w.EndArray();
  w.EndObject();
  w.Key("notify_user_change_number");
  w.Bool(s.notify_user_change_number);
  write_member(w, "on_call_pager", s.on_call_pager);
  w.Key("pass_through");
  w.Bool(s.pass_through);
  w.Key("show_security_notifications");
  w.Bool(s.show_security_notifications);
}

} // namespace mc::http
