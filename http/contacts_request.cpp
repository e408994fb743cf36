#include "http/contacts_request.hpp"

#include <rapidjson/document.h>

namespace mc::http {

namespace {

api_error invalid(std::string details) {
  return make_api_error(codes::invalid_parameter, std::move(details));
}

} // namespace

std::variant<contacts_request, api_error>
parse_contacts_request(std::string_view json) {
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_object(json, doc, error))
    return invalid(error);
  contacts_request out;
  bool have_contacts = false;
  bool seen_blocking = false, seen_force = false;
  for (auto& m : doc.GetObject()) {
    auto name = as_view(m.name);
    auto& v = m.value;
    if (name == "blocking") {
      if (seen_blocking)
        return invalid("duplicate field 'blocking'");
      seen_blocking = true;
      if (!v.IsString()
          || (as_view(v) != "wait" && as_view(v) != "no_wait"))
        return invalid("blocking must be \"wait\" or \"no_wait\"");
      out.wait = as_view(v) == "wait";
    } else if (name == "force_check") {
      if (seen_force)
        return invalid("duplicate field 'force_check'");
      seen_force = true;
      if (!v.IsBool())
        return invalid(std::string{"force_check must be a boolean, got "}
                       + json_kind(v));
      out.force_check = v.GetBool();
    } else if (name == "contacts") {
      if (have_contacts)
        return invalid("duplicate field 'contacts'");
      have_contacts = true;
      if (!v.IsArray())
        return invalid(std::string{"contacts must be an array, got "}
                       + json_kind(v));
      if (v.Empty())
        return invalid("contacts must not be empty");
      if (v.Size() > max_contacts_per_request)
        return invalid("contacts has " + std::to_string(v.Size())
                       + " entries; at most "
                       + std::to_string(max_contacts_per_request)
                       + " per request");
      for (auto& c : v.GetArray()) {
        if (!c.IsString())
          return invalid(std::string{"each contact must be a string, got "}
                         + json_kind(c));
        out.inputs.emplace_back(as_view(c));
      }
    } else {
      return make_api_error(codes::parameter_not_required,
                            "unknown field '" + clip(name) + "'");
    }
  }
  if (!have_contacts)
    return make_api_error(codes::missing_parameter, "contacts is missing");
  return out;
}

std::string contact_digits(std::string_view input) {
  std::string digits;
  for (char c : input) {
    if (c >= '0' && c <= '9')
      digits += c;
    else if (c != ' ' && c != '+' && c != '-' && c != '.' && c != '('
             && c != ')')
      return {};
    if (digits.size() > 15)
      return {};
  }
  return digits.size() >= 8 ? digits : std::string{};
}

std::string contacts_response_json(const std::vector<contact_answer>& xs) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  w.Key("contacts");
  w.StartArray();
  for (auto& x : xs) {
    w.StartObject();
    write_member(w, "input", x.input);
    write_member(w, "status", x.status);
    if (!x.wa_id.empty())
      write_member(w, "wa_id", x.wa_id);
    w.EndObject();
  }
  w.EndArray();
  write_meta(w);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

} // namespace mc::http
