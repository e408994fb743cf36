#include "http/account_request.hpp"

#include <tuple>

#include <rapidjson/document.h>

#include "runtime/json_util.hpp"
#include "runtime/shard_hash.hpp"

namespace mc::http {

namespace {

bool all_digits(std::string_view s) {
  if (s.empty())
    return false;
  for (char c : s)
    if (c < '0' || c > '9')
      return false;
  return true;
}

std::optional<api_error> read_string(const rapidjson::Value& obj,
                                     const char* name, bool required,
                                     std::optional<std::string>& out) {
  // A null pin is "no pin" (the reference sends "pin": null when two-step
  // verification is off).
  if (!obj.HasMember(name)
      || (obj[name].IsNull() && std::string_view{name} == "pin")) {
    if (required)
      return make_api_error(codes::missing_parameter,
                            std::string{name} + " is missing");
    return std::nullopt;
  }
  auto& v = obj[name];
  if (!v.IsString())
    return make_api_error(codes::invalid_parameter,
                          std::string{name} + " must be a string, got "
                            + json_kind(v));
  out = std::string{v.GetString(), v.GetStringLength()};
  return std::nullopt;
}

std::variant<account_request, api_error>
parse_common(const rapidjson::Document& doc, bool with_shards) {
  account_request r;
  for (auto m = doc.MemberBegin(); m != doc.MemberEnd(); ++m) {
    std::string key{m->name.GetString(), m->name.GetStringLength()};
    if (key != "cc" && key != "phone_number" && key != "cert" && key != "pin"
        && key != "method" && !(with_shards && key == "shards"))
      return make_api_error(codes::parameter_not_required,
                            "unknown field '" + clip(key) + "'");
  }
  std::optional<std::string> cc, phone, cert, pin, method;
  for (auto [name, required, out] :
       {std::make_tuple("cc", true, &cc),
        std::make_tuple("phone_number", true, &phone),
        std::make_tuple("cert", !with_shards, &cert),
        std::make_tuple("pin", false, &pin),
        std::make_tuple("method", false, &method)})
    if (auto err = read_string(doc, name, required, *out))
      return *err;
  if (!all_digits(*cc) || cc->size() > 3)
    return make_api_error(codes::invalid_parameter, "cc must be 1-3 digits");
  if (!all_digits(*phone) || phone->size() > 15)
    return make_api_error(codes::invalid_parameter,
                          "phone_number must be 1-15 digits");
  if (cert && cert->empty())
    return make_api_error(codes::invalid_parameter, "cert must not be empty");
  if (pin && (pin->size() != 6 || !all_digits(*pin)))
    return make_api_error(codes::invalid_parameter, "pin must be 6 digits");
  if (method && *method != "sms" && *method != "voice")
    return make_api_error(codes::invalid_parameter,
                          "method must be 'sms' or 'voice'");
  r.cc = *cc;
  r.phone_number = *phone;
  r.cert = cert.value_or("");
  r.pin = pin;
  r.method = method;
  if (with_shards) {
    if (!doc.HasMember("shards"))
      return make_api_error(codes::missing_parameter, "shards is missing");
    auto& s = doc["shards"];
    if (!s.IsInt() || !valid_shard_count(s.GetInt()))
      return make_api_error(codes::invalid_parameter,
                            "shards must be one of 1, 2, 4, 8, 16, 32");
    r.shards = s.GetInt();
  }
  return r;
}

std::variant<account_request, api_error> parse(std::string_view json,
                                               bool with_shards) {
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_object(json, doc, error))
    return make_api_error(codes::invalid_parameter, std::move(error));
  return parse_common(doc, with_shards);
}

} // namespace

std::variant<account_request, api_error>
parse_register_body(std::string_view json) {
  return parse(json, false);
}

std::variant<account_request, api_error>
parse_shards_body(std::string_view json) {
  return parse(json, true);
}

} // namespace mc::http
