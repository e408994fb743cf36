#include "http/send_request.hpp"

#include <algorithm>
#include <cstring>
#include <random>

#include <openssl/rand.h>

#include "http/base64.hpp"
#include "http/messages/message_checker.hpp"
#include "runtime/cloud/cloud_user_id.hpp"
#include "http/messages/message_document.hpp"
#include "http/messages/message_types.hpp"

namespace mc::http {

namespace {

api_error invalid(std::string details) {
  return make_api_error(codes::invalid_parameter, std::move(details));
}

api_error missing(std::string details) {
  return make_api_error(codes::missing_parameter, std::move(details));
}

/// Validates the recipient and returns its digits, or the error. A
/// business-scoped user id (a Cloud API user who may hide the number) is
/// taken as it is: the shard function hashes it as given.
std::variant<std::string, api_error> parse_to(const rapidjson::Value& v) {
  if (!v.IsString())
    return invalid(std::string{"to must be a string, got "} + json_kind(v));
  if (is_bsuid(as_view(v)))
    return std::string{as_view(v)};
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

/// The message types of the On-Prem reference
/// https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages
constexpr std::string_view message_types[] = {
  "text",     "template", "hsm",      "image",   "audio",
  "video",    "document", "sticker",  "location", "contacts",
  "interactive", "reaction"};

bool is_message_type(std::string_view name) {
  for (auto t : message_types)
    if (t == name)
      return true;
  return false;
}

/// Longest time to live of a message, in seconds (30 days).
constexpr int64_t max_ttl_seconds = 30 * 24 * 3600;

/// Checks the type's object with its validator.
void check_type_object(message_checker& c, std::string_view type,
                       const rapidjson::Value& v) {
  if (type == "text")
    text_message::check(c, v);
  else if (type == "template")
    template_message::check(c, v);
  else if (type == "hsm")
    hsm_message::check(c, v);
  else if (type == "location")
    location_message::check(c, v);
  else if (type == "contacts")
    contacts_message::check(c, v);
  else if (type == "interactive")
    interactive_message::check(c, v);
  else if (type == "reaction")
    reaction_message::check(c, v);
  else
    media_message::check(c, v, type, std::string{type});
}

/// The members every type may have besides its own object: reply context,
/// time to live, link preview (text only).
void check_common(message_checker& c, const message_fields& top,
                  std::string_view type) {
  if (auto ctx = c.object(top, "context", {"message_id"}, false))
    c.text(*ctx, "message_id", true, 256);
  c.integer(top, "ttl", false, 1, max_ttl_seconds);
  if (type == "text")
    c.boolean(top, "preview_url", false);
  else if (top.get("preview_url") != nullptr)
    c.fail(codes::parameter_not_required,
           "unknown field 'preview_url' (only for text messages)");
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
  // The type goes first: for {"type":"video","video":{...},"x":1} "not
  // supported" says more than "unknown field".
  std::string_view type = "text";
  if (auto t = doc.FindMember("type"); t != doc.MemberEnd()) {
    if (!t->value.IsString())
      return invalid(std::string{"type must be a string, got "}
                     + json_kind(t->value));
    type = as_view(t->value);
    if (!is_message_type(type))
      return invalid("type '" + clip(type) + "' is not supported");
  }
  message_checker c;
  auto top = c.object(doc, "",
                      {"to", "type", "recipient_type", "preview_url",
                       "context", "ttl", type});
  if (!top)
    return c.error();
  if (auto rt = top->get("recipient_type")) {
    if (!rt->IsString())
      return invalid(std::string{"recipient_type must be a string, got "}
                     + json_kind(*rt));
    if (as_view(*rt) != "individual")
      return make_api_error(codes::invalid_recipient_type,
                            "recipient_type '" + clip(as_view(*rt))
                              + "' is not supported; use 'individual'");
  }
  send_request result;
  auto to = top->get("to");
  if (to == nullptr)
    return missing("to is missing");
  auto digits = parse_to(*to);
  if (auto err = std::get_if<api_error>(&digits))
    return std::move(*err);
  result.to = std::move(std::get<std::string>(digits));
  auto object = c.need(*top, type);
  if (object != nullptr)
    check_type_object(c, type, *object);
  check_common(c, *top, type);
  if (!c.ok())
    return c.error();
  result.type = std::string{type};
  result.payload = message_document::of(doc, type);
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
