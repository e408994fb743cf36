#include "http/settings_patch.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "http/settings_patch_fields.hpp"

namespace mc::http {

namespace {

/// An integer from a JSON number or a string of decimal digits.
std::optional<int64_t> to_int(const rapidjson::Value& v) {
  if (v.IsInt64())
    return v.GetInt64();
  if (v.IsDouble()) {
    double d = v.GetDouble();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15)
      return static_cast<int64_t>(d);
    return std::nullopt;
  }
  if (v.IsString()) {
    auto s = as_view(v);
    int64_t out = 0;
    if (s.empty() || s.size() > 18)
      return std::nullopt;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc{} || end != s.data() + s.size())
      return std::nullopt;
    return out;
  }
  return std::nullopt;
}

/// A finite number from a JSON number or a numeric string.
std::optional<double> to_double(const rapidjson::Value& v) {
  if (v.IsNumber())
    return v.GetDouble();
  if (v.IsString()) {
    std::string s{as_view(v)};
    if (s.empty() || s.size() > 32 || std::isspace(static_cast<unsigned char>(s[0])))
      return std::nullopt;
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size() || !std::isfinite(d))
      return std::nullopt;
    return d;
  }
  return std::nullopt;
}

std::optional<api_error> apply_webhooks(app_settings& s,
                                        const rapidjson::Value& v) {
  if (!v.IsObject())
    return invalid_setting(std::string{"webhooks must be an object, got "}
                           + json_kind(v));
  for (auto& m : v.GetObject()) {
    auto name = as_view(m.name);
    if (name == "url") {
      if (!m.value.IsString())
        return invalid_setting(
            std::string{"webhooks.url must be a string, got "}
            + json_kind(m.value));
      if (auto reason = webhook_url_error(as_view(m.value)))
        return invalid_setting(*reason);
      s.webhook_url.assign(as_view(m.value));
    } else if (name == "max_concurrent_requests") {
      auto n = to_int(m.value);
      if (!n || !valid_max_concurrent_requests(*n))
        return invalid_setting(
            "webhooks.max_concurrent_requests must be 6, 12, 18 "
            "or 24");
      s.max_concurrent_requests = static_cast<int>(*n);
    } else if (name == "message") {
      if (auto err = apply_message_toggles(s, m.value))
        return err;
    } else {
      return unknown_setting("webhooks." + std::string{name});
    }
  }
  return std::nullopt;
}

std::optional<api_error> apply_backoff(int64_t& out, std::string_view name,
                                       const rapidjson::Value& v) {
  auto n = to_int(v);
  if (!n || !valid_backoff(*n))
    return invalid_setting(std::string{name}
                           + " must be an integer number of "
                             "milliseconds from "
                           + std::to_string(settings_limits::min_backoff_ms)
                           + " to "
                           + std::to_string(settings_limits::max_backoff_ms));
  out = *n;
  return std::nullopt;
}

std::optional<api_error> apply_interval(double& out, std::string_view name,
                                        const rapidjson::Value& v,
                                        double lo, double hi) {
  auto d = to_double(v);
  if (!d || *d < lo || *d > hi) {
    char range[64];
    std::snprintf(range, sizeof(range), "%g to %g", lo, hi);
    return invalid_setting(std::string{name}
                           + " must be a number of seconds from " + range);
  }
  out = *d;
  return std::nullopt;
}

} // namespace

std::variant<app_settings, api_error>
apply_settings_patch(app_settings current, std::string_view patch_json) {
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_object(patch_json, doc, error))
    return invalid_setting(std::move(error));
  app_settings& s = current;
  for (auto& m : doc.GetObject()) {
    auto name = as_view(m.name);
    std::optional<api_error> err;
    if (name == "webhooks")
      err = apply_webhooks(s, m.value);
    else if (name == "callback_persist")
      err = apply_bool_setting(s.callback_persist, name, m.value);
    else if (name == "sent_status")
      err = apply_bool_setting(s.sent_status, name, m.value);
    else if (name == "callback_backoff_delay_ms")
      err = apply_backoff(s.callback_backoff_delay_ms, name, m.value);
    else if (name == "max_callback_backoff_delay_ms")
      err = apply_backoff(s.max_callback_backoff_delay_ms, name, m.value);
    else if (name == "heartbeat_interval")
      err = apply_interval(s.heartbeat_interval, name, m.value,
                           settings_limits::min_heartbeat,
                           settings_limits::max_heartbeat);
    else if (name == "unhealthy_interval")
      err = apply_interval(s.unhealthy_interval, name, m.value,
                           settings_limits::min_unhealthy,
                           settings_limits::max_unhealthy);
    else if (is_documented_field(name))
      err = apply_documented_field(s, name, m.value);
    else
      err = unknown_setting(name);
    if (err)
      return std::move(*err);
  }
  if (s.max_callback_backoff_delay_ms < s.callback_backoff_delay_ms)
    return invalid_setting(
        "max_callback_backoff_delay_ms ("
        + std::to_string(s.max_callback_backoff_delay_ms)
        + ") must not be less than callback_backoff_delay_ms ("
        + std::to_string(s.callback_backoff_delay_ms) + ")");
  if (s.unhealthy_interval <= s.heartbeat_interval)
    return invalid_setting("unhealthy_interval must be greater than "
                           "heartbeat_interval");
  return current;
}
std::string settings_response_json(const app_settings& s) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  w.Key("settings");
  w.StartObject();
  w.Key("application");
  w.StartObject();
  w.Key("callback_backoff_delay_ms");
  w.Int64(s.callback_backoff_delay_ms);
  w.Key("callback_persist");
  w.Bool(s.callback_persist);
  w.Key("heartbeat_interval");
  w.Double(s.heartbeat_interval);
  w.Key("max_callback_backoff_delay_ms");
  w.Int64(s.max_callback_backoff_delay_ms);
  w.Key("sent_status");
  w.Bool(s.sent_status);
  w.Key("unhealthy_interval");
  w.Double(s.unhealthy_interval);
  w.Key("webhooks");
  w.StartObject();
  w.Key("max_concurrent_requests");
  w.Int(s.max_concurrent_requests);
  w.Key("message");
  w.StartObject();
  w.Key("sent");
  w.Bool(s.webhook_sent);
  w.Key("delivered");
  w.Bool(s.webhook_delivered);
  w.Key("read");
  w.Bool(s.webhook_read);
  w.EndObject();
  write_member(w, "url", s.webhook_url);
  w.EndObject();
  write_documented_fields(w, s);
  w.EndObject();
  w.EndObject();
  write_meta(w);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}
} // namespace mc::http
