#include "http/api_error.hpp"

namespace mc::http {

std::string_view error_title(int code) {
  switch (code) {
    case codes::generic:
      return "Generic error";
    case codes::message_too_long:
      return "Message too long";
    case codes::invalid_recipient_type:
      return "Invalid recipient type";
    case codes::not_group_participant:
      return "Not a group participant";
    case codes::already_exists:
      return "Resource already exists";
    case codes::access_denied:
      return "Access denied";
    case codes::not_found:
      return "Resource not found";
    case codes::recipient_blocked:
      return "Recipient blocked to receive message";
    case codes::missing_parameter:
      return "Required parameter is missing";
    case codes::invalid_parameter:
      return "Parameter value is not valid";
    case codes::parameter_not_required:
      return "Parameter is not required";
    case codes::not_ready:
      return "Service not ready";
    case codes::group_unknown:
      return "Group is unknown";
    case codes::invalid_user:
      return "User is not valid";
    case codes::internal:
      return "Internal error";
    case codes::too_many_requests:
      return "Too many requests";
    case codes::overloaded:
      return "System overloaded";
    case codes::not_primary_master:
      return "Not Primary Master";
    case codes::not_owner:
      return "Not Primary Coreapp";
    case codes::bad_user:
      return "Bad user";
    case codes::webhook_not_set:
      return "Webhook URL is not set";
    case codes::database_error:
      return "Database error";
    case codes::invalid_request:
      return "Invalid request";
    case codes::receiver_incapable:
      return "Receiver incapable";
    default:
      return "Generic error";
  }
}

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
