#include "runtime/json_util.hpp"

#include <cstring>

#include <rapidjson/error/en.h>

namespace mc {

namespace {

/// Finds the first byte offset where nesting exceeds `max_json_depth`, or
/// npos. Tracks strings so brackets inside them do not count.
size_t depth_violation(std::string_view json) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_json_depth)
          return i;
        break;
      case ']':
      case '}':
        --depth;
        break;
      default:
        break;
    }
  }
  return std::string_view::npos;
}

/// Length of the well-formed UTF-8 sequence at `s[i]`, or 0 if ill-formed.
size_t utf8_seq_len(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  size_t rest = s.size() - i;
  if (c < 0x80)
    return 1;
  auto cont = [&](size_t k) { return (b(k) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF)
    return rest >= 2 && cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (rest < 3 || !cont(i + 1) || !cont(i + 2))
      return 0;
    if (c == 0xE0 && b(i + 1) < 0xA0)
      return 0; // overlong
    if (c == 0xED && b(i + 1) >= 0xA0)
      return 0; // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (rest < 4 || !cont(i + 1) || !cont(i + 2) || !cont(i + 3))
      return 0;
    if (c == 0xF0 && b(i + 1) < 0x90)
      return 0; // overlong
    if (c == 0xF4 && b(i + 1) >= 0x90)
      return 0; // above U+10FFFF
    return 4;
  }
  return 0;
}

} // namespace

bool parse_json(std::string_view json, rapidjson::Document& doc,
                std::string& error) {
  // RapidJSON's memory stream treats a NUL byte as the end of input, which
  // would accept "{}\0garbage"; NUL is never valid JSON outside escapes.
  if (auto nul = json.find('\0'); nul != std::string_view::npos) {
    error = "invalid JSON at offset " + std::to_string(nul)
            + ": unexpected NUL byte";
    return false;
  }
  if (auto at = depth_violation(json); at != std::string_view::npos) {
    error = "invalid JSON at offset " + std::to_string(at)
            + ": nesting deeper than " + std::to_string(max_json_depth);
    return false;
  }
  constexpr unsigned flags = rapidjson::kParseValidateEncodingFlag
                             | rapidjson::kParseIterativeFlag;
  doc.Parse<flags>(json.data(), json.size());
  if (doc.HasParseError()) {
    error = "invalid JSON at offset " + std::to_string(doc.GetErrorOffset())
            + ": " + rapidjson::GetParseError_En(doc.GetParseError());
    return false;
  }
  return true;
}

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto n = utf8_seq_len(s, i);
    if (n == 0)
      return false;
    i += n;
  }
  return true;
}

size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
      ++n;
  return n;
}

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto n = utf8_seq_len(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.data() + i, n);
      i += n;
    }
  }
  return out;
}

std::string clip(std::string_view s, size_t max_points) {
  auto clean = sanitize_utf8(s.substr(0, max_points * 4 + 4));
  size_t points = 0;
  for (size_t i = 0; i < clean.size(); ++i) {
    if ((static_cast<unsigned char>(clean[i]) & 0xC0) != 0x80) {
      if (points == max_points)
        return clean.substr(0, i) + "...";
      ++points;
    }
  }
  // Reached only with at most max_points code points: the prefix taken
  // above holds at least max_points + 1 of them when `s` is longer.
  return clean;
}

const char* json_kind(const rapidjson::Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return "a number";
  }
  return "unknown";
}

void write_string(json_writer& w, std::string_view s) {
  if (valid_utf8(s)) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  } else {
    auto clean = sanitize_utf8(s);
    w.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
  }
}

void write_member(json_writer& w, std::string_view key,
                  std::string_view value) {
  write_string(w, key);
  write_string(w, value);
}

bool parse_json_object(std::string_view json, rapidjson::Document& doc,
                       std::string& error) {
  if (!parse_json(json, doc, error))
    return false;
  if (!doc.IsObject()) {
    error = std::string{"request body must be a JSON object, got "}
            + json_kind(doc);
    return false;
  }
  return true;
}

} // namespace mc
