#include "http/api_error.hpp"

namespace mc::http {

int error_http_status(int code) {
  switch (code) {
    case codes::message_too_long:
    case codes::invalid_recipient_type:
    case codes::not_group_participant:
    case codes::recipient_blocked:
    case codes::missing_parameter:
    case codes::invalid_parameter:
    case codes::parameter_not_required:
    case codes::group_unknown:
    case codes::invalid_user:
    case codes::bad_user:
    case codes::webhook_not_set:
    case codes::invalid_request:
    case codes::receiver_incapable:
      return 400;
    case codes::access_denied:
    case codes::account_locked:
      return 401;
    case codes::not_found:
      return 404;
    case codes::already_exists:
      return 409;
    case codes::too_many_requests:
      return 429;
    // Retryable: the client should try again (possibly elsewhere).
    case codes::not_ready:
    case codes::overloaded:
    case codes::not_primary_master:
    case codes::not_owner:
      return 503;
    default: // generic, internal, database_error and unknown codes
      return 500;
  }
}

api_error make_api_error(int code, std::string details) {
  return make_api_error(code, std::move(details), error_http_status(code));
}

api_error make_api_error(int code, std::string details, int http_status) {
  return api_error{http_status, code, std::string{error_title(code)},
                   std::move(details)};
}

std::string to_json(const api_error& e) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  w.Key("errors");
  w.StartArray();
  w.StartObject();
  w.Key("code");
  w.Int(e.code);
  w.Key("title");
  write_string(w, e.title);
  w.Key("details");
  write_string(w, e.details);
  w.EndObject();
  w.EndArray();
  write_meta(w);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

const std::string& meta_json_fields() {
  static const std::string fields = [] {
    rapidjson::StringBuffer buf;
    json_writer w{buf};
    w.StartObject();
    write_meta(w);
    w.EndObject();
    std::string obj{buf.GetString(), buf.GetSize()};
    return obj.substr(1, obj.size() - 2); // strip the outer braces
  }();
  return fields;
}

void write_meta(json_writer& w) {
  w.Key("meta");
  w.StartObject();
  w.Key("api_status");
  w.String("stable");
  w.Key("version");
  w.String(api_version);
  w.EndObject();
}

std::string ok_json() {
  return "{" + meta_json_fields() + "}";
}

} // namespace mc::http
