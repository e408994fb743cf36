#include "runtime/cloud/cloud_send_answer.hpp"

#include <rapidjson/document.h>

#include "runtime/json_util.hpp"
#include "runtime/onprem_codes.hpp"

namespace mc {

namespace {

/// One Cloud error code and what it means here.
struct cloud_code_entry {
  int32_t cloud;
  cloud_error_class kind;
  /// For permanent errors: the On-Prem code of the failed status.
  int32_t onprem;
};

/// The one table of Cloud codes. Sources: the Cloud API's "Error codes"
/// (developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes)
/// for the Cloud side; the On-Prem "Error and Status Messages"
/// (developers.facebook.com/docs/whatsapp/api/errors) for the codes they
/// map to. A permanent code not listed maps to codes::generic.
constexpr cloud_code_entry cloud_codes[] = {
  // Authorization: the token, not the message, is wrong.
  {0, cloud_error_class::token, 0},     // AuthException
  {190, cloud_error_class::token, 0},   // Access token expired
  // Throughput.
  {4, cloud_error_class::throughput, 0},      // API Too many calls
  {80007, cloud_error_class::throughput, 0},  // WABA rate limit
  {130429, cloud_error_class::throughput, 0}, // Cloud API throughput
  {131056, cloud_error_class::pair_limit, 0}, // Pair rate limit
  // May pass.
  {1, cloud_error_class::transient, 0},      // API Unknown
  {2, cloud_error_class::transient, 0},      // API Service (downtime)
  {131000, cloud_error_class::transient, 0}, // Something went wrong
  {131016, cloud_error_class::transient, 0}, // Service unavailable
  {131057, cloud_error_class::transient, 0}, // Account in maintenance
  {133004, cloud_error_class::transient, 0}, // Server temporarily down
  // Permanent, with an On-Prem counterpart.
  {3, cloud_error_class::permanent, codes::access_denied},  // capability
  {10, cloud_error_class::permanent, codes::access_denied}, // permission
  {200, cloud_error_class::permanent, codes::access_denied},
  {131005, cloud_error_class::permanent, codes::access_denied},
  {100, cloud_error_class::permanent, codes::invalid_parameter},
  {131008, cloud_error_class::permanent, codes::missing_parameter},
  {131009, cloud_error_class::permanent, codes::invalid_parameter},
  {131021, cloud_error_class::permanent, codes::invalid_user}, // to self
  {131026, cloud_error_class::permanent, codes::invalid_user}, // undeliverable
  {131047, cloud_error_class::permanent, codes::reengagement}, // 24h window
  {131051, cloud_error_class::permanent, codes::receiver_incapable},
  {131052, cloud_error_class::permanent, codes::internal}, // media download
  {131053, cloud_error_class::permanent, codes::internal}, // media upload
  {132000, cloud_error_class::permanent, codes::template_param_count},
  {132001, cloud_error_class::permanent, codes::template_missing},
};

const cloud_code_entry* find_code(int32_t code) {
  for (auto& e : cloud_codes)
    if (e.cloud == code)
      return &e;
  return nullptr;
}

/// The class of an answer with no (known) code: by HTTP status.
cloud_error_class class_of_status(int http_status) {
  if (http_status == 0 || http_status >= 500)
    return cloud_error_class::transient;
  if (http_status == 429)
    return cloud_error_class::throughput;
  if (http_status == 401)
    return cloud_error_class::token;
  return cloud_error_class::permanent;
}

std::string string_member(const rapidjson::Value& obj, const char* key) {
  auto i = obj.FindMember(key);
  if (i == obj.MemberEnd() || !i->value.IsString())
    return {};
  return std::string{as_view(i->value)};
}

void read_success(const rapidjson::Document& doc, cloud_answer& a) {
  auto msgs = doc.FindMember("messages");
  if (msgs != doc.MemberEnd() && msgs->value.IsArray()
      && !msgs->value.Empty() && msgs->value[0].IsObject())
    a.wamid = string_member(msgs->value[0], "id");
  a.media_id = string_member(doc, "id");
}

void read_error(const rapidjson::Value& err, cloud_answer& a) {
  auto code = err.FindMember("code");
  if (code != err.MemberEnd() && code->value.IsInt())
    a.cloud_code = code->value.GetInt();
  a.cloud_title = string_member(err, "message");
  auto data = err.FindMember("error_data");
  if (data != err.MemberEnd() && data->value.IsObject())
    a.cloud_details = string_member(data->value, "details");
}

} // namespace

const char* to_string(cloud_error_class kind) {
  switch (kind) {
    case cloud_error_class::none: return "none";
    case cloud_error_class::throughput: return "throughput";
    case cloud_error_class::pair_limit: return "pair_limit";
    case cloud_error_class::token: return "token";
    case cloud_error_class::transient: return "transient";
    case cloud_error_class::permanent: return "permanent";
  }
  return "unknown";
}

int32_t onprem_code_of(int32_t cloud_code) {
  auto e = find_code(cloud_code);
  return e != nullptr && e->kind == cloud_error_class::permanent
           ? e->onprem
           : codes::generic;
}

cloud_answer parse_cloud_answer(int http_status, std::string_view body) {
  cloud_answer a;
  rapidjson::Document doc;
  std::string parse_error;
  bool json = http_status != 0 && parse_json_object(body, doc, parse_error);
  const rapidjson::Value* err = nullptr;
  if (json) {
    auto i = doc.FindMember("error");
    if (i != doc.MemberEnd() && i->value.IsObject())
      err = &i->value;
  }
  if (http_status >= 200 && http_status < 300 && err == nullptr) {
    if (json)
      read_success(doc, a);
    return a;
  }
  bool has_code = false;
  if (err != nullptr) {
    read_error(*err, a);
    has_code = err->HasMember("code");
  }
  // The code decides where there is one we know; the HTTP status only
  // where there is none (an answer of a proxy, a network error).
  auto entry = has_code ? find_code(a.cloud_code) : nullptr;
  a.kind = entry != nullptr ? entry->kind : class_of_status(http_status);
  if (a.kind == cloud_error_class::permanent) {
    a.onprem_code = has_code ? onprem_code_of(a.cloud_code) : codes::generic;
    a.onprem_title = std::string{error_title(a.onprem_code)};
    a.onprem_details = "Cloud API error " + std::to_string(a.cloud_code)
                       + ": " + a.cloud_title;
    if (!a.cloud_details.empty())
      a.onprem_details += " (" + a.cloud_details + ")";
    if (!has_code)
      a.onprem_details = "Cloud API answered HTTP "
                         + std::to_string(http_status);
  }
  return a;
}

} // namespace mc
