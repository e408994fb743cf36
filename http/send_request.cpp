#include "http/send_request.hpp"

#include <algorithm>
#include <cstring>
#include <random>

#include <openssl/rand.h>

#include "http/base64.hpp"
#include "http/messages/message_document.hpp"

namespace mc::http {

namespace {

api_error invalid(std::string details) {
  return make_api_error(codes::invalid_parameter, std::move(details));
}

api_error missing(std::string details) {
  return make_api_error(codes::missing_parameter, std::move(details));
}

api_error unknown_field(std::string_view name) {
  return make_api_error(codes::parameter_not_required,
                        "unknown field '" + clip(name) + "'");
}

/// A repeated member name: RapidJSON keeps duplicates, and silently picking
/// one of them would hide a client bug.
api_error duplicate(std::string_view name) {
  return invalid("duplicate field '" + clip(name) + "'");
}

/// Records `m` in `slot`; false when the slot was already taken.
bool take(const rapidjson::Value*& slot, const rapidjson::Value& v) {
  if (slot != nullptr)
    return false;
  slot = &v;
  return true;
}

/// Validates the recipient and returns its digits, or the error.
std::variant<std::string, api_error> parse_to(const rapidjson::Value& v) {
  if (!v.IsString())
    return invalid(std::string{"to must be a string, got "} + json_kind(v));
  std::string digits;
  for (char c : as_view(v)) {
    if (c >= '0' && c <= '9') {
      if (digits.size() == max_recipient_digits)
        return invalid("to has more than "
                       + std::to_string(max_recipient_digits) + " digits");
      digits += c;
    } else if (c != ' ' && c != '+' && c != '-' && c != '(' && c != ')') {
      return invalid("to may contain only digits, spaces, '+', '-', '(' and "
                     "')': '" + clip(as_view(v)) + "'");
    }
  }
  if (digits.empty())
    return invalid("to must contain at least one digit");
  return digits;
}

/// Validates the "text" object and returns its body, or the error.
std::variant<std::string, api_error> parse_text(const rapidjson::Value& v) {
  if (!v.IsObject())
    return invalid(std::string{"text must be an object, got "} + json_kind(v));
  const rapidjson::Value* body = nullptr;
  for (auto& m : v.GetObject()) {
    if (as_view(m.name) == "body") {
      if (!take(body, m.value))
        return duplicate("text.body");
    } else
      return unknown_field("text." + std::string{as_view(m.name)});
  }
  if (body == nullptr)
    return missing("text.body is missing");
  if (!body->IsString())
    return invalid(std::string{"text.body must be a string, got "}
                   + json_kind(*body));
  auto text = as_view(*body);
  if (text.empty())
    return invalid("text.body must not be empty");
  // The parser validated the encoding, so counting lead bytes is exact.
  if (utf8_length(text) > max_body_chars)
    return make_api_error(codes::message_too_long,
                          "text.body is longer than "
                            + std::to_string(max_body_chars) + " characters");
  return std::string{text};
}

} // namespace

std::variant<send_request, api_error>
parse_send_request(std::string_view json) {
  if (json.size() > max_send_request_bytes)
    return invalid("request body is larger than "
                   + std::to_string(max_send_request_bytes) + " bytes");
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_object(json, doc, error))
    return invalid(std::move(error));
  const rapidjson::Value* to = nullptr;
  const rapidjson::Value* text = nullptr;
  const rapidjson::Value* type = nullptr;
  const rapidjson::Value* recipient_type = nullptr;
  const rapidjson::Value* preview_url = nullptr;
  std::string_view unknown;
  bool has_unknown = false;
  for (auto& m : doc.GetObject()) {
    auto name = as_view(m.name);
    const rapidjson::Value** slot = nullptr;
    if (name == "to")
      slot = &to;
    else if (name == "text")
      slot = &text;
    else if (name == "type")
      slot = &type;
    else if (name == "recipient_type")
      slot = &recipient_type;
    else if (name == "preview_url")
      slot = &preview_url;
    if (slot == nullptr) {
      if (!has_unknown) {
        has_unknown = true;
        unknown = name;
      }
    } else if (!take(*slot, m.value)) {
      return duplicate(name);
    }
  }
  // The type goes first: for {"type":"image","image":{...}} "not supported"
  // says more than "unknown field 'image'".
  if (type != nullptr) {
    if (!type->IsString())
      return invalid(std::string{"type must be a string, got "}
                     + json_kind(*type));
    if (as_view(*type) != "text")
      return invalid("type '" + clip(as_view(*type)) + "' is not supported");
  }
  if (has_unknown)
    return unknown_field(unknown);
  if (recipient_type != nullptr) {
    if (!recipient_type->IsString())
      return invalid(std::string{"recipient_type must be a string, got "}
                     + json_kind(*recipient_type));
    if (as_view(*recipient_type) != "individual")
      return make_api_error(codes::invalid_recipient_type,
                            "recipient_type '"
                              + clip(as_view(*recipient_type))
                              + "' is not supported; use 'individual'");
  }
  send_request result;
  if (to == nullptr)
    return missing("to is missing");
  auto digits = parse_to(*to);
  if (auto err = std::get_if<api_error>(&digits))
    return std::move(*err);
  result.to = std::move(std::get<std::string>(digits));
  if (text == nullptr)
    return missing("text is missing");
  auto body = parse_text(*text);
  if (auto err = std::get_if<api_error>(&body))
    return std::move(*err);
  if (preview_url != nullptr && !preview_url->IsBool())
    return invalid(std::string{"preview_url must be a boolean, got "}
                   + json_kind(*preview_url));
  result.payload = message_document::of(doc, result.type);
  return result;
}

std::string send_response_json(const std::string& id) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  w.Key("messages");
  w.StartArray();
  w.StartObject();
  w.Key("id");
  write_string(w, id);
  w.EndObject();
  w.EndArray();
  write_meta(w);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::string new_message_id() {
  unsigned char bytes[20];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    // OpenSSL's generator failing is near impossible; fall back to a
    // per-thread generator seeded from the OS rather than failing a send.
    thread_local std::mt19937_64 gen{[] {
      std::random_device rd;
      std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
      return std::mt19937_64{seq};
    }()};
    for (size_t i = 0; i < sizeof(bytes); i += 8) {
      auto v = gen();
      std::memcpy(bytes + i, &v, std::min<size_t>(8, sizeof(bytes) - i));
    }
  }
  return base64url_encode(
    std::string_view{reinterpret_cast<const char*>(bytes), sizeof(bytes)});
}

} // namespace mc::http
