#include "http/cloud_sim/cloud_send_request.hpp"

#include <cctype>
#include <cstring>

#include "runtime/json_util.hpp"

namespace mc {

namespace {

constexpr size_t max_text_body = 4096;

const char* const known_types[] = {
  "audio", "contacts", "document", "image", "interactive", "location",
  "reaction", "sticker", "template", "text", "video"};

bool is_media_type(const std::string& t) {
  return t == "audio" || t == "document" || t == "image" || t == "sticker"
         || t == "video";
}

const rapidjson::Value* member(const rapidjson::Value& obj, const char* name) {
  auto i = obj.FindMember(name);
  return i == obj.MemberEnd() ? nullptr : &i->value;
}

std::string str(const rapidjson::Value* v) {
  return v && v->IsString() ? std::string{as_view(*v)} : std::string{};
}

/// The digits of a phone number as given in `to` ("+1 631-555-0000"), or
/// empty when it is not one (8 to 15 digits, separators + - space ( ) .).
std::string phone_digits(std::string_view to) {
  std::string digits;
  for (auto c : to) {
    if (std::isdigit(static_cast<unsigned char>(c)))
      digits += c;
    else if (!std::strchr("+- ().", c))
      return {};
  }
  return digits.size() >= 8 && digits.size() <= 15 ? digits : std::string{};
}

std::string type_list() {
  std::string out = "{";
  for (auto t : known_types) {
    if (out.size() > 1)
      out += ", ";
    for (auto p = t; *p; ++p)
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(*p)));
  }
  return out + "}";
}

/// Checks the type's object; an error or nothing.
std::variant<std::monostate, cloud_graph_error>
check_object(const std::string& type, const rapidjson::Value& obj,
             cloud_send& out) {
  using err = cloud_graph_error;
  auto missing = [&](const std::string& what) {
    return err::missing_parameter("The parameter " + type + "['" + what
                                  + "'] is required.");
  };
  if (type == "text") {
    auto body = member(obj, "body");
    if (!body || !body->IsString())
      return missing("body");
    if (utf8_length(as_view(*body)) > max_text_body)
      return err::invalid_parameter("Param text['body'] must be at most "
                                    "4096 characters long.");
  } else if (is_media_type(type)) {
    auto id = member(obj, "id");
    auto link = member(obj, "link");
    if ((!id || !id->IsString()) && (!link || !link->IsString()))
      return err::missing_parameter("The parameter " + type
                                    + "['id'] or " + type
                                    + "['link'] is required.");
    out.media_id = str(id);
  } else if (type == "template") {
    auto name = member(obj, "name");
    if (!name || !name->IsString() || name->GetStringLength() == 0)
      return missing("name");
    auto lang = member(obj, "language");
    auto code = lang && lang->IsObject() ? member(*lang, "code") : nullptr;
    if (!code || !code->IsString())
      return err::missing_parameter(
        "The parameter template['language']['code'] is required.");
    out.template_name = str(name);
    out.template_language = str(code);
  } else if (type == "location") {
    for (auto k : {"latitude", "longitude"}) {
      auto v = member(obj, k);
      if (!v || !(v->IsNumber() || v->IsString()))
        return missing(k);
    }
  } else if (type == "reaction") {
    auto id = member(obj, "message_id");
    if (!id || !id->IsString())
      return missing("message_id");
    auto emoji = member(obj, "emoji");
    if (!emoji || !emoji->IsString())
      return missing("emoji");
  } else if (type == "interactive") {
    auto t = member(obj, "type");
    if (!t || !t->IsString())
      return missing("type");
    auto action = member(obj, "action");
    if (!action || !action->IsObject())
      return missing("action");
  } else if (type == "contacts") {
    // The object is the array itself; checked by the caller.
  }
  return std::monostate{};
}

std::string compact_without_envelope(const rapidjson::Document& doc) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  for (auto& m : doc.GetObject()) {
    auto k = as_view(m.name);
    if (k == "to" || k == "recipient" || k == "messaging_product"
        || k == "recipient_type" || k == "biz_opaque_callback_data")
      continue;
    w.Key(m.name.GetString(), m.name.GetStringLength());
    m.value.Accept(w);
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

} // namespace


cloud_send_parse parse_cloud_send(std::string_view body) {
  using err = cloud_graph_error;
  rapidjson::Document doc;
  std::string why;
  if (!parse_json_object(body, doc, why))
    return err::invalid_parameter(why);
  auto product = member(doc, "messaging_product");
  if (!product)
    return err::invalid_parameter(
      "The parameter messaging_product is required.");
  if (!product->IsString() || as_view(*product) != "whatsapp")
    return err::invalid_parameter(
      "Param messaging_product must be one of {WHATSAPP} - got \""
      + clip(str(product)) + "\".");
  if (auto status = member(doc, "status")) {
    if (!status->IsString() || as_view(*status) != "read")
      return err::invalid_parameter("Param status must be one of {READ}");
    auto id = member(doc, "message_id");
    if (!id || !id->IsString() || id->GetStringLength() == 0)
      return err::invalid_parameter("The parameter message_id is required.");
    return cloud_mark_read{str(id)};
  }
  cloud_send out;
  if (auto rt = member(doc, "recipient_type"))
    if (!rt->IsString() || as_view(*rt) != "individual")
      return err::invalid_parameter(
        "Param recipient_type must be one of {INDIVIDUAL}");
  auto to = member(doc, "to");
  auto recipient = member(doc, "recipient");
  if (to && to->IsString() && to->GetStringLength() > 0) {
    // `to` wins over `recipient` when both are given.
    out.input = str(to);
    out.recipient = phone_digits(out.input);
    if (out.recipient.empty())
      return err::invalid_parameter("Param to must be a phone number - got \""
                                    + clip(out.input) + "\".");
  } else if (recipient && recipient->IsString()) {
    out.input = str(recipient);
    if (!is_bsuid(out.input))
      return err::invalid_parameter(
        "Param recipient must be a business-scoped user ID - got \""
        + clip(out.input) + "\".");
    out.recipient = out.input;
    out.by_user_id = true;
  } else {
    return err::invalid_parameter("The parameter to is required.");
  }
  auto type = member(doc, "type");
  out.type = type ? str(type) : "text";
  bool known = false;
  for (auto t : known_types)
    known |= out.type == t;
  if (!known)
    return err::invalid_parameter("Param type must be one of " + type_list()
                                  + " - got \"" + clip(out.type) + "\".");
  auto obj = member(doc, out.type.c_str());
  if (out.type == "contacts") {
    if (!obj || !obj->IsArray() || obj->Empty())
      return err::missing_parameter("The parameter contacts is required.");
  } else {
    if (!obj || !obj->IsObject())
      return err::missing_parameter("The parameter " + out.type
                                    + " is required.");
    auto checked = check_object(out.type, *obj, out);
    if (auto e = std::get_if<cloud_graph_error>(&checked))
      return *e;
  }
  if (auto ctx = member(doc, "context")) {
    auto id = ctx->IsObject() ? member(*ctx, "message_id") : nullptr;
    if (!id || !id->IsString())
      return err::missing_parameter(
        "The parameter context['message_id'] is required.");
  }
  out.content_key = compact_without_envelope(doc);
  return out;
}

} // namespace mc
