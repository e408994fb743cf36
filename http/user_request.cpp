#include "http/user_request.hpp"

#include <cctype>

#include "http/password_hash.hpp"
#include "http/token.hpp"

namespace mc::http {

namespace {

api_error invalid(std::string details) {
  return make_api_error(codes::invalid_parameter, std::move(details));
}

bool blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
      return false;
  return true;
}

bool valid_username(std::string_view name) {
  if (name.empty() || name.size() > max_username_chars)
    return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.'
        && c != '-')
      return false;
  return true;
}

} // namespace

std::variant<login_request, api_error> parse_login_body(std::string_view json) {
  login_request result;
  if (blank(json))
    return result;
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_object(json, doc, error))
    return invalid(std::move(error));
  for (auto& m : doc.GetObject()) {
    auto name = as_view(m.name);
    if (name != "new_password")
      return make_api_error(codes::parameter_not_required,
                            "unknown field '" + clip(name) + "'");
    if (result.new_password)
      return invalid("duplicate field 'new_password'");
    if (!m.value.IsString())
      return invalid(std::string{"new_password must be a string, got "}
                     + json_kind(m.value));
    std::string pw{as_view(m.value)};
    if (auto reason = password_policy_error(pw))
      return invalid("new_password: " + *reason);
    result.new_password = std::move(pw);
  }
  return result;
}

std::string login_response_json(const std::string& token, int64_t expires_at) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  w.Key("users");
  w.StartArray();
  w.StartObject();
  write_member(w, "token", token);
  write_member(w, "expires_after", format_expiry(expires_at));
  w.EndObject();
  w.EndArray();
  write_meta(w);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::variant<create_user_request, api_error>
parse_create_user_body(std::string_view json) {
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_object(json, doc, error))
    return invalid(std::move(error));
  const rapidjson::Value* username = nullptr;
  const rapidjson::Value* password = nullptr;
  for (auto& m : doc.GetObject()) {
    auto name = as_view(m.name);
    const rapidjson::Value** slot = name == "username"   ? &username
                                    : name == "password" ? &password
                                                         : nullptr;
    if (slot == nullptr)
      return make_api_error(codes::parameter_not_required,
                            "unknown field '" + clip(name) + "'");
    if (*slot != nullptr)
      return invalid("duplicate field '" + std::string{name} + "'");
    *slot = &m.value;
  }
  if (username == nullptr)
    return make_api_error(codes::missing_parameter, "username is missing");
  if (password == nullptr)
    return make_api_error(codes::missing_parameter, "password is missing");
  if (!username->IsString())
    return invalid(std::string{"username must be a string, got "}
                   + json_kind(*username));
  if (!valid_username(as_view(*username)))
    return invalid("username must be 1 to 64 characters of A-Z, a-z, 0-9, "
                   "'_', '.' and '-'");
  if (!password->IsString())
    return invalid(std::string{"password must be a string, got "}
                   + json_kind(*password));
  create_user_request result{std::string{as_view(*username)},
                             std::string{as_view(*password)}};
  if (auto reason = password_policy_error(result.password))
    return invalid(*reason);
  return result;
}

} // namespace mc::http
