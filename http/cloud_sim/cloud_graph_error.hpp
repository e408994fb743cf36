#pragma once

/// A Graph API error answer of the Cloud API: the HTTP status and the body
/// {"error":{"message","type","code","error_data":{"messaging_product",
/// "details"},"error_subcode"?,"fbtrace_id"}}.

#include <string>

namespace mc {

/// One error of the Cloud API reference (support/error-codes).
struct cloud_graph_error {
  int http_status = 400;
  int code = 100;
  std::string title;
  std::string details;
  std::string type = "OAuthException";
  int subcode = 0; ///< 0: no error_subcode member

  /// The JSON body; `message` is "(#code) title" as the reference shows.
  std::string body() const;

  static cloud_graph_error invalid_parameter(std::string details);
  static cloud_graph_error missing_parameter(std::string details);
  static cloud_graph_error invalid_value(std::string details);
  static cloud_graph_error bad_token(bool expired);
  static cloud_graph_error unknown_object(const std::string& id,
                                          const std::string& verb);
  static cloud_graph_error throughput();
  static cloud_graph_error pair_rate();
  static cloud_graph_error overloaded();
  static cloud_graph_error template_missing(const std::string& name,
                                            const std::string& language);
  static cloud_graph_error media_upload(std::string details);
  /// An injected failure: `code` with the reference's title when known.
  static cloud_graph_error injected(int http_status, int code,
                                    std::string details);
};

} // namespace mc
