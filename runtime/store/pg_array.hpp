#pragma once

#include <string>
#include <vector>

namespace mc {

/// A PostgreSQL text[] literal, {"a","b"}, with \ and " escaped: the one
/// way the stores pass a list of strings as a single parameter
/// (`= ANY($1::text[])`).
inline std::string text_array(const std::vector<std::string>& xs) {
  std::string out = "{";
  for (size_t i = 0; i < xs.size(); ++i) {
    if (i > 0)
      out += ',';
    out += '"';
    for (char c : xs[i]) {
      if (c == '"' || c == '\\')
        out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

/// A PostgreSQL bigint[] or integer[] literal of `xs`, {1,2}.
template <class Integer>
std::string number_array(const std::vector<Integer>& xs) {
  std::string out = "{";
  for (size_t i = 0; i < xs.size(); ++i) {
    if (i > 0)
      out += ',';
    out += std::to_string(xs[i]);
  }
  out += '}';
  return out;
}

} // namespace mc
