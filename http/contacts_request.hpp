#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "http/api_error.hpp"

namespace mc::http {

/// A validated POST /v1/contacts request
/// (https://developers.facebook.com/docs/whatsapp/api/contacts):
/// `{"blocking":"wait"|"no_wait","contacts":[...],"force_check":bool}`.
struct contacts_request {
  /// "wait": answer once every contact is checked; "no_wait" (the
  /// default): answer at once, "processing" for the ones not cached, and
  /// check those in the background.
  bool wait = false;
  /// Ask the upstream even when the cache holds a fresh answer.
  bool force_check = false;
  /// The inputs as the client wrote them, in order.
  std::vector<std::string> inputs;
};

/// Most contacts one request may carry. Our bound: the reference pages we
/// could read give none, and one request must stay one bounded batch per
/// shard.
constexpr size_t max_contacts_per_request = 1000;

/// Parses and validates a POST /v1/contacts body. Errors: malformed JSON,
/// wrong types, a blocking other than "wait"/"no_wait", an empty list or
/// more than max_contacts_per_request: 1009; contacts missing: 1008;
/// unknown fields: 1010. A contact that is not a phone number is no error
/// of the request: its status is "failed" (see contact_digits).
std::variant<contacts_request, api_error>
parse_contacts_request(std::string_view json);

/// The digits of a phone number in any usual form ("+1 (631) 555-1004"),
/// or "" when `input` is not one: characters other than digits, spaces,
/// '+', '-', '.', '(' and ')', or fewer than 8 or more than 15 digits
/// (E.164 allows 15; our reading of the reference's "failed" example).
std::string contact_digits(std::string_view input);

/// One line of the answer.
struct contact_answer {
  std::string input;
  std::string status; ///< valid, invalid, processing or failed
  std::string wa_id;  ///< set when valid
};

/// {"contacts":[{"input","status","wa_id"?}...],"meta":{...}}.
std::string contacts_response_json(const std::vector<contact_answer>& xs);

} // namespace mc::http
