#include "runtime/cloud/cloud_message_translator.hpp"

#include <algorithm>
#include <string_view>

#include <rapidjson/document.h>

#include "actors/protocol/errors.hpp"
#include "runtime/cloud/cloud_user_id.hpp"
#include "runtime/json_util.hpp"

namespace mc {

namespace {

using rapidjson::Value;
using allocator = rapidjson::Document::AllocatorType;

/// Types the Cloud API sends the way On-Prem does, object for object.
constexpr std::string_view same_shape[] = {
  "text", "image", "audio", "video", "document", "sticker", "location",
  "contacts", "interactive", "reaction", "template"};

/// Types whose object may hold a media reference by id.
constexpr std::string_view media_keys[] = {"image", "audio", "video",
                                           "document", "sticker"};

bool is_media_key(std::string_view key) {
  return std::find(std::begin(media_keys), std::end(media_keys), key)
         != std::end(media_keys);
}

Value str(std::string_view s, allocator& a) {
  return Value{s.data(), static_cast<rapidjson::SizeType>(s.size()), a};
}

/// Calls `f(object)` on every media object of `type`'s object `body`: the
/// body itself for a media type, the header's of an interactive, the
/// parameters' of a template.
template <class Value, class F>
void for_each_media(std::string_view type, Value& body, F&& f) {
  auto media_of = [&](Value& holder) {
    for (auto key : media_keys) {
      auto i = holder.FindMember(key.data());
      if (i != holder.MemberEnd() && i->value.IsObject())
        f(i->value);
    }
  };
  if (!body.IsObject())
    return;
  if (is_media_key(type)) {
    f(body);
  } else if (type == "interactive") {
    auto h = body.FindMember("header");
    if (h != body.MemberEnd() && h->value.IsObject())
      media_of(h->value);
  } else if (type == "template") {
    auto comps = body.FindMember("components");
    if (comps == body.MemberEnd() || !comps->value.IsArray())
      return;
    for (auto& comp : comps->value.GetArray()) {
      if (!comp.IsObject())
        continue;
      auto params = comp.FindMember("parameters");
      if (params == comp.MemberEnd() || !params->value.IsArray())
        continue;
      for (auto& p : params->value.GetArray())
        if (p.IsObject())
          media_of(p);
    }
  }
}

/// A template's object in its Cloud form, in place: no namespace, no
/// language policy, date_time reduced to its fallback, index a string.
void cloud_template(Value& t, allocator& a) {
  t.RemoveMember("namespace");
  auto lang = t.FindMember("language");
  if (lang != t.MemberEnd() && lang->value.IsObject())
    lang->value.RemoveMember("policy");
  auto comps = t.FindMember("components");
  if (comps == t.MemberEnd() || !comps->value.IsArray())
    return;
  for (auto& comp : comps->value.GetArray()) {
    if (!comp.IsObject())
      continue;
    auto index = comp.FindMember("index");
    if (index != comp.MemberEnd() && index->value.IsInt64())
      index->value = str(std::to_string(index->value.GetInt64()), a);
    auto params = comp.FindMember("parameters");
    if (params == comp.MemberEnd() || !params->value.IsArray())
      continue;
    for (auto& p : params->value.GetArray()) {
      auto dt = p.IsObject() ? p.FindMember("date_time") : p.MemberEnd();
      if (dt == p.MemberEnd() || !dt->value.IsObject())
        continue;
      Value fallback{rapidjson::kObjectType};
      auto fv = dt->value.FindMember("fallback_value");
      if (fv != dt->value.MemberEnd())
        fallback.AddMember("fallback_value", Value{fv->value, a}, a);
      dt->value = fallback;
    }
  }
}

/// A legacy hsm's object as a Cloud template: element_name the name, its
/// localizable_params the body's parameters with "default" as fallback.
/// (developers.facebook.com/docs/whatsapp/on-premises/reference/messages
/// #hsm-object; .../cloud-api/reference/messages#template-object)
Value template_of_hsm(const Value& hsm, allocator& a) {
  Value t{rapidjson::kObjectType};
  auto name = hsm.FindMember("element_name");
  if (name != hsm.MemberEnd())
    t.AddMember("name", Value{name->value, a}, a);
  auto lang = hsm.FindMember("language");
  if (lang != hsm.MemberEnd() && lang->value.IsObject()) {
    Value l{lang->value, a};
    l.RemoveMember("policy");
    t.AddMember("language", l, a);
  }
  auto params = hsm.FindMember("localizable_params");
  if (params == hsm.MemberEnd() || !params->value.IsArray()
      || params->value.Empty())
    return t;
  Value list{rapidjson::kArrayType};
  for (auto& p : params->value.GetArray()) {
    if (!p.IsObject())
      continue;
    Value fallback{rapidjson::kNullType};
    if (auto d = p.FindMember("default"); d != p.MemberEnd())
      fallback.CopyFrom(d->value, a);
    Value out{rapidjson::kObjectType};
    auto cur = p.FindMember("currency");
    auto dt = p.FindMember("date_time");
    if (cur != p.MemberEnd() && cur->value.IsObject()) {
      Value c{rapidjson::kObjectType};
      c.AddMember("fallback_value", fallback, a);
      if (auto x = cur->value.FindMember("currency_code");
          x != cur->value.MemberEnd())
        c.AddMember("code", Value{x->value, a}, a);
      if (auto x = cur->value.FindMember("amount_1000");
          x != cur->value.MemberEnd())
        c.AddMember("amount_1000", Value{x->value, a}, a);
      out.AddMember("type", "currency", a);
      out.AddMember("currency", c, a);
    } else if (dt != p.MemberEnd() && dt->value.IsObject()) {
      Value d{rapidjson::kObjectType};
      d.AddMember("fallback_value", fallback, a);
      out.AddMember("type", "date_time", a);
      out.AddMember("date_time", d, a);
    } else {
      out.AddMember("type", "text", a);
      out.AddMember("text", fallback, a);
    }
    list.PushBack(out, a);
  }
  Value body{rapidjson::kObjectType};
  body.AddMember("type", "body", a);
  body.AddMember("parameters", list, a);
  Value comps{rapidjson::kArrayType};
  comps.PushBack(body, a);
  t.AddMember("components", comps, a);
  return t;
}

} // namespace

expected_body
cloud_message_translator::translate(const std::string& payload,
                                    const std::string& recipient,
                                    const cloud_media_ids& media) {
  rapidjson::Document in;
  std::string error;
  if (!parse_json_object(payload, in, error))
    return make_error(mc_errc::malformed_document, std::move(error));
  auto t = in.FindMember("type");
  if (t == in.MemberEnd() || !t->value.IsString())
    return make_error(mc_errc::malformed_document, "no type");
  std::string type{as_view(t->value)};
  auto body = in.FindMember(type.c_str());
  if (body == in.MemberEnd() || !(body->value.IsObject()
                                  || (type == "contacts"
                                      && body->value.IsArray())))
    return make_error(mc_errc::malformed_document, "no " + type + " object");
  bool hsm = type == "hsm";
  if (!hsm && std::find(std::begin(same_shape), std::end(same_shape), type)
                == std::end(same_shape))
    return make_error(mc_errc::unsupported_message, "type " + type);
  rapidjson::Document out;
  out.SetObject();
  auto& a = out.GetAllocator();
  out.AddMember("messaging_product", "whatsapp", a);
  if (auto rt = in.FindMember("recipient_type"); rt != in.MemberEnd())
    out.AddMember("recipient_type", Value{rt->value, a}, a);
  // A name chosen at run time is no string literal: RapidJSON takes it as
  // a StringRef.
  out.AddMember(rapidjson::StringRef(is_bsuid(recipient) ? "recipient" : "to"),
                str(recipient, a), a);
  if (auto ctx = in.FindMember("context"); ctx != in.MemberEnd())
    out.AddMember("context", Value{ctx->value, a}, a);
  Value object;
  if (hsm) {
    type = "template";
    object = template_of_hsm(body->value, a);
  } else {
    object.CopyFrom(body->value, a);
    if (type == "template")
      cloud_template(object, a);
  }
  if (type == "text")
    if (auto p = in.FindMember("preview_url"); p != in.MemberEnd())
      object.AddMember("preview_url", Value{p->value, a}, a);
  std::string missing;
  for_each_media(type, object, [&](Value& m) {
    auto id = m.FindMember("id");
    if (id == m.MemberEnd() || !id->value.IsString() || !missing.empty())
      return;
    auto cloud = media.find(std::string{as_view(id->value)});
    if (cloud == media.end())
      missing = as_view(id->value);
    else
      id->value = str(cloud->second, a);
  });
  if (!missing.empty())
    return make_error(mc_errc::media_unknown, missing);
  out.AddMember("type", str(type, a), a);
  out.AddMember(str(type, a), object, a);
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  out.Accept(w);
  return cloud_send_body{std::string{buf.GetString(), buf.GetSize()}};
}

std::vector<std::string>
cloud_message_translator::media_ids_of(const std::string& payload) {
  std::vector<std::string> ids;
  rapidjson::Document in;
  std::string error;
  if (!parse_json_object(payload, in, error))
    return ids;
  auto t = in.FindMember("type");
  if (t == in.MemberEnd() || !t->value.IsString())
    return ids;
  std::string_view type = as_view(t->value);
  auto body = in.FindMember(t->value.GetString());
  if (body == in.MemberEnd())
    return ids;
  for_each_media(type, body->value, [&](const Value& m) {
    auto id = m.FindMember("id");
    if (id == m.MemberEnd() || !id->value.IsString())
      return;
    std::string s{as_view(id->value)};
    if (std::find(ids.begin(), ids.end(), s) == ids.end())
      ids.push_back(std::move(s));
  });
  return ids;
}

} // namespace mc
