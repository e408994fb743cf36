#include "http/read_request.hpp"

#include <string>

#include "runtime/json_util.hpp"

namespace mc::http {

std::variant<read_request, api_error> parse_read_request(std::string_view body) {
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_object(body, doc, error))
    return make_api_error(codes::invalid_parameter, error);
  for (auto& m : doc.GetObject())
    if (as_view(m.name) != "status")
      return make_api_error(codes::parameter_not_required,
                            "unknown parameter " + clip(as_view(m.name)));
  auto status = doc.FindMember("status");
  if (status == doc.MemberEnd())
    return make_api_error(codes::missing_parameter, "status is missing");
  if (!status->value.IsString() || as_view(status->value) != "read")
    return make_api_error(codes::invalid_parameter,
                          "status must be \"read\": only incoming messages "
                          "can be updated, and only to read");
  return read_request{};
}

} // namespace mc::http
