#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <rapidjson/document.h>

#include "http/api_error.hpp"

namespace mc::http {

/// The members of one JSON object of a request, by name, with the object's
/// path in the request ("template.language") for error details.
struct message_fields {
  std::string path;
  std::vector<std::pair<std::string_view, const rapidjson::Value*>> members;

  /// The member `name`, or nullptr.
  const rapidjson::Value* get(std::string_view name) const;

  /// "path.name", the name a rule on that member reports.
  std::string name_of(std::string_view name) const;
};

/// Walks a send request and keeps the first rule it breaks, so a type's
/// validator reads as its list of rules. Every check after the first
/// failure does nothing and returns false; nothing throws.
///
/// Error details are fixed phrases around the member's path: "x is missing"
/// (1008), "x must be a string, got a number", "duplicate field 'x'",
/// "x must not be empty", "x is longer than N characters" (1009) and
/// "unknown field 'x'" (1010, On-Prem "Parameter is not required").
class message_checker {
public:
  /// False once a rule failed.
  bool ok() const {
    return !error_.has_value();
  }

  /// The first failure; only meaningful when !ok().
  const api_error& error() const {
    return *error_;
  }

  /// Records a failure with `code` unless one is recorded; returns false.
  bool fail(int code, std::string details);

  /// The members of `v`, which must be an object whose member names are all
  /// in `known` and unique.
  std::optional<message_fields> object(const rapidjson::Value& v,
                                       std::string path,
                                       std::initializer_list<std::string_view>
                                         known);

  /// The members of `f.name`, if present and an object like above; nullopt
  /// when absent (no failure unless `required`) or invalid.
  std::optional<message_fields> object(const message_fields& f,
                                       std::string_view name,
                                       std::initializer_list<std::string_view>
                                         known,
                                       bool required);

  /// Member `name` must be present (1008 otherwise).
  const rapidjson::Value* need(const message_fields& f, std::string_view name);

  /// Member `name`, if present, is a string of at most `max_chars` code
  /// points, non-empty unless `allow_empty`; `required` makes it mandatory.
  /// Too long fails with `too_long_code` (1009 unless told).
  bool text(const message_fields& f, std::string_view name, bool required,
            size_t max_chars, bool allow_empty = false,
            int too_long_code = codes::invalid_parameter);

  /// Member `name`, if present, is a boolean.
  bool boolean(const message_fields& f, std::string_view name, bool required);

  /// Member `name`, if present, is a number in [lo, hi].
  bool number(const message_fields& f, std::string_view name, bool required,
              double lo, double hi);

  /// Member `name`, if present, is an integer in [lo, hi].
  bool integer(const message_fields& f, std::string_view name, bool required,
               int64_t lo, int64_t hi);

  /// Member `name`, if present, is one of the strings `values`; returns it
  /// (empty when absent or invalid).
  std::string_view one_of(const message_fields& f, std::string_view name,
                          bool required,
                          std::initializer_list<std::string_view> values);

  /// Member `name`, if present, is an array of `min` to `max` elements;
  /// returns it (nullptr when absent or invalid). A count out of range fails
  /// with `count_code`.
  const rapidjson::Value* array(const message_fields& f, std::string_view name,
                                bool required, size_t min, size_t max,
                                int count_code = codes::invalid_parameter);

  /// Member `name`, if present, is an http(s) URL.
  bool url(const message_fields& f, std::string_view name, bool required);

private:
  std::optional<api_error> error_;
};

} // namespace mc::http
