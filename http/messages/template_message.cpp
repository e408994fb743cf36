#include "http/messages/message_types.hpp"

#include "http/messages/template_language.hpp"

namespace mc::http {

namespace {

/// Longest text parameter; the hydrated template is capped upstream.
constexpr size_t max_param_chars = 32768;

/// Most components and parameters per component accepted.
constexpr size_t max_components = 16;
constexpr size_t max_params = 100;

/// Highest button index: up to 3 buttons, 0 to 2.
constexpr int64_t max_button_index = 2;

/// Currency: fallback_value, ISO 4217 code, amount times 1000.
void check_currency(message_checker& c, const message_fields& p) {
  auto f = c.object(p, "currency", {"fallback_value", "code", "amount_1000"},
                    true);
  if (!f)
    return;
  c.text(*f, "fallback_value", true, 1024);
  if (c.text(*f, "code", true, 3)) {
    auto code = as_view(*f->get("code"));
    bool iso = code.size() == 3;
    for (char x : code)
      iso = iso && x >= 'A' && x <= 'Z';
    if (!iso)
      c.fail(codes::invalid_parameter,
             f->name_of("code") + " must be an ISO 4217 code like 'USD'");
  }
  c.integer(*f, "amount_1000", true, INT64_MIN / 2, INT64_MAX / 2);
}

/// Date and time: fallback_value, with the On-Prem component fields or a
/// unix timestamp the client localises.
void check_date_time(message_checker& c, const message_fields& p) {
  auto f = c.object(p, "date_time",
                    {"fallback_value", "day_of_week", "year", "month",
                     "day_of_month", "hour", "minute", "calendar",
                     "timestamp"},
                    true);
  if (!f)
    return;
  c.text(*f, "fallback_value", true, 1024);
  c.integer(*f, "day_of_week", false, 1, 7);
  c.integer(*f, "year", false, 1, 9999);
  c.integer(*f, "month", false, 1, 12);
  c.integer(*f, "day_of_month", false, 1, 31);
  c.integer(*f, "hour", false, 0, 23);
  c.integer(*f, "minute", false, 0, 59);
  c.one_of(*f, "calendar", false, {"GREGORIAN", "SOLAR_HIJRI"});
  c.integer(*f, "timestamp", false, 0, INT64_MAX / 2);
}

/// One parameter of a component whose allowed parameter types are
/// `allowed`.
void check_param(message_checker& c, const rapidjson::Value& v,
                 std::string path,
                 std::initializer_list<std::string_view> allowed) {
  auto p = c.object(v, std::move(path),
                    {"type", "text", "currency", "date_time", "image",
                     "document", "video", "payload"});
  if (!p)
    return;
  auto type = c.one_of(*p, "type", true, allowed);
  if (!c.ok())
    return;
  // Only the member named by the type may be there.
  for (auto& [name, value] : p->members)
    if (name != "type" && name != type)
      c.fail(codes::parameter_not_required,
             "unknown field '" + clip(p->name_of(name)) + "'");
  if (type == "text")
    c.text(*p, "text", true, max_param_chars);
  else if (type == "payload")
    c.text(*p, "payload", true, 256);
  else if (type == "currency")
    check_currency(c, *p);
  else if (type == "date_time")
    check_date_time(c, *p);
  else if (auto m = c.need(*p, type))
    media_message::check(c, *m, type, p->name_of(type));
}

/// The button index: a number or a digit string, 0 to 2.
void check_index(message_checker& c, const message_fields& f) {
  auto v = c.need(f, "index");
  if (v == nullptr)
    return;
  if (v->IsString()) {
    auto s = as_view(*v);
    if (s.size() == 1 && s[0] >= '0' && s[0] <= '0' + max_button_index)
      return;
    c.fail(codes::invalid_parameter, f.name_of("index") + " must be 0 to "
                                       + std::to_string(max_button_index));
    return;
  }
  c.integer(f, "index", true, 0, max_button_index);
}

void check_component(message_checker& c, const rapidjson::Value& v,
                     std::string path) {
  auto f = c.object(v, std::move(path),
                    {"type", "sub_type", "index", "parameters"});
  if (!f)
    return;
  auto type = c.one_of(*f, "type", true, {"header", "body", "button"});
  if (!c.ok())
    return;
  std::string_view sub_type;
  if (type == "button") {
    sub_type = c.one_of(*f, "sub_type", true, {"quick_reply", "url"});
    check_index(c, *f);
  } else if (f->get("sub_type") != nullptr || f->get("index") != nullptr) {
    c.fail(codes::parameter_not_required,
           f->path + ": sub_type and index are only for buttons");
  }
  auto params = c.array(*f, "parameters", type == "button", 0, max_params);
  if (params == nullptr)
    return;
  for (rapidjson::SizeType i = 0; i < params->Size() && c.ok(); ++i) {
    auto at = f->name_of("parameters") + "[" + std::to_string(i) + "]";
    // Allowed parameter types per component, On-Prem reference
    // https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#parameters-object
    if (type == "header")
      check_param(c, (*params)[i], at,
                  {"text", "currency", "date_time", "image", "document",
                   "video"});
    else if (type == "body")
      check_param(c, (*params)[i], at, {"text", "currency", "date_time"});
    else if (sub_type == "quick_reply")
      check_param(c, (*params)[i], at, {"payload"});
    else
      check_param(c, (*params)[i], at, {"text"});
  }
}

} // namespace

void template_message::check(message_checker& c,
                             const rapidjson::Value& tmpl) {
  // Template object: namespace, name, language, components.
  // https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#template-object
  auto f = c.object(tmpl, "template",
                    {"namespace", "name", "language", "components"});
  if (!f)
    return;
  c.text(*f, "namespace", true, 128);
  c.text(*f, "name", true, 512);
  template_language::check(c, *f);
  auto comps = c.array(*f, "components", false, 0, max_components);
  if (comps == nullptr)
    return;
  for (rapidjson::SizeType i = 0; i < comps->Size() && c.ok(); ++i)
    check_component(c, (*comps)[i],
                    "template.components[" + std::to_string(i) + "]");
}

} // namespace mc::http
