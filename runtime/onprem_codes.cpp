#include "runtime/onprem_codes.hpp"

namespace mc {

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
    case codes::account_locked:
      return "Account locked";
    case codes::reengagement:
      return "Message failed to send because more than 24 hours have passed "
             "since the customer last replied to this number";
    case codes::template_param_count:
      return "Template Param Count Mismatch";
    case codes::template_missing:
      return "Template Missing";
    default:
      return "Generic error";
  }
}

} // namespace mc
