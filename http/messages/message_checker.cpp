#include "http/messages/message_checker.hpp"

#include <cmath>

namespace mc::http {

const rapidjson::Value* message_fields::get(std::string_view name) const {
  for (auto& [n, v] : members)
    if (n == name)
      return v;
  return nullptr;
}

std::string message_fields::name_of(std::string_view name) const {
  if (path.empty())
    return std::string{name};
  return path + "." + std::string{name};
}

bool message_checker::fail(int code, std::string details) {
  if (!error_)
    error_ = make_api_error(code, std::move(details));
  return false;
}

std::optional<message_fields>
message_checker::object(const rapidjson::Value& v, std::string path,
                        std::initializer_list<std::string_view> known) {
  if (!ok())
    return std::nullopt;
  if (!v.IsObject()) {
    fail(codes::invalid_parameter,
         path + " must be an object, got " + json_kind(v));
    return std::nullopt;
  }
  message_fields out;
  out.path = std::move(path);
  for (auto& m : v.GetObject()) {
    auto name = as_view(m.name);
    bool is_known = false;
    for (auto k : known)
      is_known = is_known || k == name;
    if (!is_known) {
      fail(codes::parameter_not_required,
           "unknown field '" + clip(out.name_of(name)) + "'");
      return std::nullopt;
    }
    // RapidJSON keeps duplicates; silently picking one hides a client bug.
    if (out.get(name) != nullptr) {
      fail(codes::invalid_parameter,
           "duplicate field '" + clip(out.name_of(name)) + "'");
      return std::nullopt;
    }
    out.members.emplace_back(name, &m.value);
  }
  return out;
}

std::optional<message_fields>
message_checker::object(const message_fields& f, std::string_view name,
                        std::initializer_list<std::string_view> known,
                        bool required) {
  auto v = f.get(name);
  if (v == nullptr) {
    if (required)
      need(f, name);
    return std::nullopt;
  }
  return object(*v, f.name_of(name), known);
}

const rapidjson::Value* message_checker::need(const message_fields& f,
                                              std::string_view name) {
  if (!ok())
    return nullptr;
  auto v = f.get(name);
  if (v == nullptr)
    fail(codes::missing_parameter, f.name_of(name) + " is missing");
  return v;
}

bool message_checker::text(const message_fields& f, std::string_view name,
                           bool required, size_t max_chars, bool allow_empty,
                           int too_long_code) {
  if (!ok())
    return false;
  auto v = required ? need(f, name) : f.get(name);
  if (v == nullptr)
    return !required;
  if (!v->IsString())
    return fail(codes::invalid_parameter, f.name_of(name)
                                            + " must be a string, got "
                                            + json_kind(*v));
  auto s = as_view(*v);
  if (s.empty() && !allow_empty)
    return fail(codes::invalid_parameter, f.name_of(name)
                                            + " must not be empty");
  // The parser validated the encoding, so counting lead bytes is exact.
  if (utf8_length(s) > max_chars)
    return fail(too_long_code, f.name_of(name) + " is longer than "
                                 + std::to_string(max_chars) + " characters");
  return true;
}

bool message_checker::boolean(const message_fields& f, std::string_view name,
                              bool required) {
  if (!ok())
    return false;
  auto v = required ? need(f, name) : f.get(name);
  if (v == nullptr)
    return !required;
  if (!v->IsBool())
    return fail(codes::invalid_parameter, f.name_of(name)
                                            + " must be a boolean, got "
                                            + json_kind(*v));
  return true;
}

bool message_checker::number(const message_fields& f, std::string_view name,
                             bool required, double lo, double hi) {
  if (!ok())
    return false;
  auto v = required ? need(f, name) : f.get(name);
  if (v == nullptr)
    return !required;
  if (!v->IsNumber())
    return fail(codes::invalid_parameter, f.name_of(name)
                                            + " must be a number, got "
                                            + json_kind(*v));
  auto x = v->GetDouble();
  if (!std::isfinite(x) || x < lo || x > hi)
    return fail(codes::invalid_parameter,
                f.name_of(name) + " must be between "
                  + std::to_string(static_cast<int64_t>(lo)) + " and "
                  + std::to_string(static_cast<int64_t>(hi)));
  return true;
}

bool message_checker::integer(const message_fields& f, std::string_view name,
                              bool required, int64_t lo, int64_t hi) {
  if (!ok())
    return false;
  auto v = required ? need(f, name) : f.get(name);
  if (v == nullptr)
    return !required;
  if (!v->IsInt64())
    return fail(codes::invalid_parameter, f.name_of(name)
                                            + " must be an integer, got "
                                            + json_kind(*v));
  auto x = v->GetInt64();
  if (x < lo || x > hi)
    return fail(codes::invalid_parameter,
                f.name_of(name) + " must be between " + std::to_string(lo)
                  + " and " + std::to_string(hi));
  return true;
}

std::string_view
message_checker::one_of(const message_fields& f, std::string_view name,
                        bool required,
                        std::initializer_list<std::string_view> values) {
  if (!text(f, name, required, 64))
    return {};
  auto v = f.get(name);
  if (v == nullptr)
    return {};
  auto s = as_view(*v);
  std::string list;
  for (auto x : values) {
    if (x == s)
      return s;
    list += list.empty() ? "'" : ", '";
    list += x;
    list += '\'';
  }
  fail(codes::invalid_parameter, f.name_of(name) + " '" + clip(s)
                                   + "' is not one of " + list);
  return {};
}

const rapidjson::Value* message_checker::array(const message_fields& f,
                                               std::string_view name,
                                               bool required, size_t min,
                                               size_t max, int count_code) {
  if (!ok())
    return nullptr;
  auto v = required ? need(f, name) : f.get(name);
  if (v == nullptr)
    return nullptr;
  if (!v->IsArray()) {
    fail(codes::invalid_parameter,
         f.name_of(name) + " must be an array, got " + json_kind(*v));
    return nullptr;
  }
  if (v->Size() < min || v->Size() > max) {
    fail(count_code, f.name_of(name) + " must have " + std::to_string(min)
                       + " to " + std::to_string(max) + " elements, got "
                       + std::to_string(v->Size()));
    return nullptr;
  }
  return v;
}

bool message_checker::url(const message_fields& f, std::string_view name,
                          bool required) {
  if (!text(f, name, required, 2048))
    return false;
  auto v = f.get(name);
  if (v == nullptr)
    return true;
  auto s = as_view(*v);
  auto scheme_ok = s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0;
  auto host = s.substr(s.find("://") == std::string_view::npos
                         ? s.size()
                         : s.find("://") + 3);
  if (!scheme_ok || host.empty() || host[0] == '/')
    return fail(codes::invalid_parameter,
                f.name_of(name) + " must be an http(s) URL, got '" + clip(s)
                  + "'");
  return true;
}

} // namespace mc::http
