#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace mc {

/// The writer every JSON producer in the HTTP layer uses.
using json_writer = rapidjson::Writer<rapidjson::StringBuffer>;

/// Deepest object/array nesting any request body may have. Our bodies need
/// 3 levels; the cap keeps hostile input from costing memory or stack.
constexpr int max_json_depth = 32;

/// Parses `json` strictly into `doc`: valid UTF-8, one root value, no raw NUL
/// bytes, nesting at most `max_json_depth`. Uses RapidJSON's iterative parser
/// so no input can exhaust the stack. On failure returns false and sets
/// `error` to "invalid JSON at offset N: <reason>".
bool parse_json(std::string_view json, rapidjson::Document& doc,
                std::string& error);

/// Like `parse_json`, and the root must be an object; otherwise `error` is
/// "request body must be a JSON object, got <kind>". What every request body
/// of the API needs first.
bool parse_json_object(std::string_view json, rapidjson::Document& doc,
                       std::string& error);

/// Whether `s` is well-formed UTF-8 (no overlongs, surrogates or values
/// above U+10FFFF).
bool valid_utf8(std::string_view s);

/// Number of code points in well-formed UTF-8 `s`.
size_t utf8_length(std::string_view s);

/// Returns `s` with every ill-formed UTF-8 sequence replaced by U+FFFD, so
/// that it can always be written as a JSON string.
std::string sanitize_utf8(std::string_view s);

/// Shortens user-provided text quoted in an error message to at most
/// `max_points` code points (with "..." appended), so that errors stay small.
std::string clip(std::string_view s, size_t max_points = 64);

/// "a string", "a number", "an object"... for error messages.
const char* json_kind(const rapidjson::Value& v);

/// Writes `s` as a JSON string, replacing ill-formed UTF-8 first.
void write_string(json_writer& w, std::string_view s);

/// Writes `key` then `value` as a JSON member.
void write_member(json_writer& w, std::string_view key, std::string_view value);

/// The value of a string member as a std::string_view (keeps embedded NULs).
inline std::string_view as_view(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

} // namespace mc
