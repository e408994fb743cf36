#include "runtime/app_settings.hpp"

#include <algorithm>
#include <utility>

#include "runtime/json_util.hpp"

namespace mc {

/// nullopt when `url` is acceptable as a webhook URL, else the reason.
std::optional<std::string> webhook_url_error(std::string_view url) {
  if (url.empty())
    return std::nullopt; // no webhook
  if (url.size() > settings_limits::max_url_bytes)
    return "webhooks.url is longer than "
           + std::to_string(settings_limits::max_url_bytes) + " bytes";
  std::string_view rest;
  if (url.substr(0, 7) == "http://")
    rest = url.substr(7);
  else if (url.substr(0, 8) == "https://")
    rest = url.substr(8);
  else
    return "webhooks.url must start with http:// or https://";
  for (char c : url) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f)
      return std::string{"webhooks.url must not contain spaces or control "
                         "characters"};
  }
  auto host_end = rest.find_first_of("/?#");
  auto host = rest.substr(0, host_end);
  if (auto at = host.rfind('@'); at != std::string_view::npos)
    host.remove_prefix(at + 1);
  if (host.empty() || host[0] == ':')
    return std::string{"webhooks.url has no host"};
  return std::nullopt;
}

bool valid_max_concurrent_requests(int64_t n) {
  return n == 6 || n == 12 || n == 18 || n == 24;
}

bool status_wanted(const app_settings& s, std::string_view status) {
  if (status == "sent")
    return s.sent_status || s.webhook_sent;
  if (status == "delivered")
    return s.webhook_delivered;
  if (status == "read")
    return s.webhook_read;
  return true;
}

bool valid_auto_download_type(std::string_view type) {
  for (auto t : {"audio", "document", "image", "sticker", "video", "voice"})
    if (type == t)
      return true;
  return false;
}

bool valid_backoff(int64_t ms) {
  return ms >= settings_limits::min_backoff_ms
         && ms <= settings_limits::max_backoff_ms;
}

bool valid_heartbeat(double s) {
  return s >= settings_limits::min_heartbeat
         && s <= settings_limits::max_heartbeat;
}

bool valid_unhealthy(double s) {
  return s >= settings_limits::min_unhealthy
         && s <= settings_limits::max_unhealthy;
}

std::string settings_to_stored_json(const app_settings& s) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_member(w, "webhook_url", s.webhook_url);
  w.Key("max_concurrent_requests");
  w.Int(s.max_concurrent_requests);
  w.Key("callback_persist");
  w.Bool(s.callback_persist);
  w.Key("callback_backoff_delay_ms");
  w.Int64(s.callback_backoff_delay_ms);
  w.Key("max_callback_backoff_delay_ms");
  w.Int64(s.max_callback_backoff_delay_ms);
  w.Key("sent_status");
  w.Bool(s.sent_status);
  w.Key("heartbeat_interval");
  w.Double(s.heartbeat_interval);
  w.Key("unhealthy_interval");
  w.Double(s.unhealthy_interval);
  auto flag = [&](const char* name, bool v) {
    w.Key(name);
    w.Bool(v);
  };
  flag("webhook_sent", s.webhook_sent);
  flag("webhook_delivered", s.webhook_delivered);
  flag("webhook_read", s.webhook_read);
  flag("pass_through", s.pass_through);
  flag("db_garbagecollector_enable", s.db_garbagecollector_enable);
  flag("garbagecollector_media", s.garbagecollector_media);
  flag("garbagecollector_messages", s.garbagecollector_messages);
  flag("notify_user_change_number", s.notify_user_change_number);
  flag("show_security_notifications", s.show_security_notifications);
  write_member(w, "on_call_pager", s.on_call_pager);
  w.Key("media_auto_download");
  w.StartArray();
  for (auto& t : s.media_auto_download)
    w.String(t.data(), static_cast<rapidjson::SizeType>(t.size()));
  w.EndArray();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

app_settings settings_from_stored_json(std::string_view json) {
  app_settings s;
  rapidjson::Document doc;
  std::string error;
  if (!parse_json(json, doc, error) || !doc.IsObject())
    return s;
  auto field = [&](const char* name) -> const rapidjson::Value* {
    auto i = doc.FindMember(name);
    return i == doc.MemberEnd() ? nullptr : &i->value;
  };
  if (auto v = field("webhook_url");
      v && v->IsString() && !webhook_url_error(as_view(*v)))
    s.webhook_url.assign(as_view(*v));
  if (auto v = field("max_concurrent_requests"); v && v->IsInt()
                                                   && valid_max_concurrent_requests(v->GetInt()))
    s.max_concurrent_requests = v->GetInt();
  if (auto v = field("callback_persist"); v && v->IsBool())
    s.callback_persist = v->GetBool();
  if (auto v = field("sent_status"); v && v->IsBool())
    s.sent_status = v->GetBool();
  if (auto v = field("callback_backoff_delay_ms");
      v && v->IsInt64() && valid_backoff(v->GetInt64()))
    s.callback_backoff_delay_ms = v->GetInt64();
  if (auto v = field("max_callback_backoff_delay_ms");
      v && v->IsInt64() && valid_backoff(v->GetInt64()))
    s.max_callback_backoff_delay_ms = v->GetInt64();
  if (auto v = field("heartbeat_interval");
      v && v->IsNumber() && valid_heartbeat(v->GetDouble()))
    s.heartbeat_interval = v->GetDouble();
  if (auto v = field("unhealthy_interval");
      v && v->IsNumber() && valid_unhealthy(v->GetDouble()))
    s.unhealthy_interval = v->GetDouble();
  for (auto [name, out] :
       {std::pair{"webhook_sent", &s.webhook_sent},
        std::pair{"webhook_delivered", &s.webhook_delivered},
        std::pair{"webhook_read", &s.webhook_read},
        std::pair{"pass_through", &s.pass_through},
        std::pair{"db_garbagecollector_enable", &s.db_garbagecollector_enable},
        std::pair{"garbagecollector_media", &s.garbagecollector_media},
        std::pair{"garbagecollector_messages", &s.garbagecollector_messages},
        std::pair{"notify_user_change_number", &s.notify_user_change_number},
        std::pair{"show_security_notifications",
                  &s.show_security_notifications}})
    if (auto v = field(name); v && v->IsBool())
      *out = v->GetBool();
  if (auto v = field("on_call_pager"); v && v->IsString())
    s.on_call_pager.assign(as_view(*v));
  if (auto v = field("media_auto_download"); v && v->IsArray())
    for (auto& t : v->GetArray())
      if (t.IsString() && valid_auto_download_type(as_view(t)))
        s.media_auto_download.emplace_back(as_view(t));
  // Keep the cross-field rules even for a hand-edited row.
  if (s.max_callback_backoff_delay_ms < s.callback_backoff_delay_ms)
    s.max_callback_backoff_delay_ms = s.callback_backoff_delay_ms;
  if (s.unhealthy_interval <= s.heartbeat_interval) {
    app_settings d;
    s.heartbeat_interval = d.heartbeat_interval;
    s.unhealthy_interval = d.unhealthy_interval;
  }
  return s;
}

int64_t callback_backoff_ms(const app_settings& s, int attempts) {
  if (attempts < 1)
    return 0;
  auto base = s.callback_backoff_delay_ms;
  auto cap = s.max_callback_backoff_delay_ms;
  if (base <= 0)
    return cap > 0 ? cap : 0;
  // Compare before multiplying so huge attempt counts cannot overflow.
  if (attempts > cap / base)
    return cap;
  return std::min(cap, base * attempts);
}

} // namespace mc
