#include "http/account_settings_request.hpp"

#include <rapidjson/document.h>

#include "http/password_hash.hpp"
#include "runtime/json_util.hpp"

namespace mc::http {

namespace {

api_error invalid(std::string details) {
  return make_api_error(codes::invalid_parameter, std::move(details));
}

/// The one string field `name` of a body that may hold nothing else.
std::variant<std::string, api_error> only_string_field(std::string_view json,
                                                       const char* name) {
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_object(json, doc, error))
    return invalid(std::move(error));
  const rapidjson::Value* value = nullptr;
  for (auto& m : doc.GetObject()) {
    if (as_view(m.name) != name)
      return make_api_error(codes::parameter_not_required,
                            "unknown field '" + clip(as_view(m.name)) + "'");
    value = &m.value;
  }
  if (value == nullptr || value->IsNull())
    return make_api_error(codes::missing_parameter,
                          std::string{name} + " is missing");
  if (!value->IsString())
    return invalid(std::string{name} + " must be a string, got "
                   + json_kind(*value));
  return std::string{as_view(*value)};
}

bool six_digits(std::string_view s) {
  if (s.size() != 6)
    return false;
  for (char c : s)
    if (c < '0' || c > '9')
      return false;
  return true;
}

/// The list of business verticals of the reference; "" clears it.
bool valid_vertical(std::string_view v) {
  for (auto name :
       {"", "Automotive", "Beauty, Spa and Salon", "Clothing and Apparel",
        "Education", "Entertainment", "Event Planning and Service",
        "Finance and Banking", "Food and Grocery", "Public Service",
        "Hotel and Lodging", "Medical and Health", "Non-profit",
        "Professional Services", "Shopping and Retail",
        "Travel and Transportation", "Restaurant", "Other"})
    if (v == name)
      return true;
  return false;
}

bool valid_email(std::string_view e) {
  if (e.empty())
    return true; // clears it
  auto at = e.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < e.size()
         && e.find('@', at + 1) == std::string_view::npos
         && e.find(' ') == std::string_view::npos;
}

bool valid_website(std::string_view url) {
  return (url.substr(0, 7) == "http://" && url.size() > 7)
         || (url.substr(0, 8) == "https://" && url.size() > 8);
}

std::optional<api_error> check_text(const rapidjson::Value& v,
                                    std::string_view name, size_t max) {
  if (!v.IsString())
    return invalid(std::string{name} + " must be a string, got "
                   + json_kind(v));
  if (utf8_length(as_view(v)) > max)
    return invalid(std::string{name} + " must be at most "
                   + std::to_string(max) + " characters");
  return std::nullopt;
}

std::optional<api_error> check_business_field(std::string_view name,
                                              const rapidjson::Value& v) {
  if (name == "address" || name == "description")
    return check_text(v, name, 256);
  if (name == "email") {
    if (auto err = check_text(v, name, 128))
      return err;
    if (!valid_email(as_view(v)))
      return invalid("email must be an e-mail address");
    return std::nullopt;
  }
  if (name == "vertical") {
    if (!v.IsString() || !valid_vertical(as_view(v)))
      return invalid("vertical must be one of the reference's business "
                     "verticals (e.g. \"Shopping and Retail\") or \"\"");
    return std::nullopt;
  }
  if (name == "websites") {
    if (!v.IsArray() || v.Size() > 2)
      return invalid("websites must be an array of at most 2 URLs");
    for (auto& w : v.GetArray()) {
      if (auto err = check_text(w, "websites[]", 256))
        return err;
      if (!valid_website(as_view(w)))
        return invalid("websites must start with http:// or https://");
    }
    return std::nullopt;
  }
  return make_api_error(codes::parameter_not_required,
                        "unknown field '" + clip(name) + "'");
}

constexpr const char* business_fields[] = {"address", "description", "email",
                                           "vertical"};

} // namespace

std::variant<std::string, api_error> parse_pin_body(std::string_view json) {
  auto pin = only_string_field(json, "pin");
  if (auto s = std::get_if<std::string>(&pin); s && !six_digits(*s))
    return invalid("pin must be 6 digits");
  return pin;
}

std::variant<std::string, api_error> parse_verify_body(std::string_view json) {
  auto code = only_string_field(json, "code");
  auto s = std::get_if<std::string>(&code);
  if (s == nullptr)
    return code;
  std::string digits = *s;
  if (digits.size() == 7 && digits[3] == '-')
    digits.erase(3, 1);
  if (!six_digits(digits))
    return invalid("code must be 6 digits (or xxx-xxx)");
  return digits;
}

std::variant<std::string, api_error>
parse_password_update_body(std::string_view json) {
  auto pw = only_string_field(json, "password");
  if (auto s = std::get_if<std::string>(&pw))
    if (auto reason = password_policy_error(*s))
      return invalid(*reason);
  return pw;
}

std::variant<std::string, api_error> parse_about_body(std::string_view json) {
  auto text = only_string_field(json, "text");
  if (auto s = std::get_if<std::string>(&text)) {
    auto n = utf8_length(*s);
    if (n == 0 || n > max_about_chars)
      return invalid("text must be 1 to " + std::to_string(max_about_chars)
                     + " characters");
  }
  return text;
}

std::variant<std::string, api_error> photo_type(std::string_view bytes) {
  if (bytes.empty())
    return make_api_error(codes::missing_parameter,
                          "the body must be the photo (image/jpeg or "
                          "image/png)");
  if (bytes.size() > max_photo_bytes)
    return invalid("the photo must be at most 5 MB");
  if (bytes.substr(0, 3) == "\xFF\xD8\xFF")
    return std::string{"image/jpeg"};
  if (bytes.substr(0, 8) == std::string_view{"\x89PNG\r\n\x1A\n", 8})
    return std::string{"image/png"};
  return invalid("the photo must be a JPEG or PNG image");
}

std::variant<std::string, api_error>
merge_business_profile(std::string_view stored_json, std::string_view json) {
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_object(json, doc, error))
    return invalid(std::move(error));
  for (auto& m : doc.GetObject())
    if (auto err = check_business_field(as_view(m.name), m.value))
      return *err;
  rapidjson::Document stored;
  if (!parse_json_object(stored_json, stored, error))
    stored.SetObject();
  auto& alloc = stored.GetAllocator();
  for (auto& m : doc.GetObject()) {
    rapidjson::Value key{m.name, alloc};
    rapidjson::Value value{m.value, alloc};
    stored.RemoveMember(key);
    stored.AddMember(key, value, alloc);
  }
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  stored.Accept(w);
  return std::string{buf.GetString(), buf.GetSize()};
}

std::string business_profile_response_json(std::string_view stored_json) {
  rapidjson::Document stored;
  std::string error;
  if (!parse_json_object(stored_json, stored, error))
    stored.SetObject();
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  w.Key("settings");
  w.StartObject();
  w.Key("business");
  w.StartObject();
  w.Key("profile");
  w.StartObject();
  for (auto name : business_fields) {
    auto i = stored.FindMember(name);
    write_member(w, name,
                 i != stored.MemberEnd() && i->value.IsString()
                   ? as_view(i->value)
                   : std::string_view{});
  }
  w.Key("websites");
  w.StartArray();
  if (auto i = stored.FindMember("websites");
      i != stored.MemberEnd() && i->value.IsArray())
    for (auto& site : i->value.GetArray())
      if (site.IsString())
        w.String(site.GetString(), site.GetStringLength());
  w.EndArray();
  w.EndObject();
  w.EndObject();
  w.EndObject();
  write_meta(w);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

} // namespace mc::http
