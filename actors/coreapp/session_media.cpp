#include "actors/coreapp/session_media.hpp"

#include <algorithm>

#include "runtime/media_kind.hpp"

namespace mc {

const std::string& message_document(const upstream_message& m) {
  return m.payload;
}

std::vector<std::string>
session_media::missing(const std::vector<upstream_message>& msgs) const {
  std::vector<std::string> out;
  for (auto& m : msgs) {
    // Text, the hot path, is skipped on its type alone.
    if (!media_kind_named(m.type))
      continue;
    auto ref = media_ref_of(message_document(m));
    if (!ref || uploaded_.count(ref->id) > 0
        || std::find(out.begin(), out.end(), ref->id) != out.end())
      continue;
    out.push_back(std::move(ref->id));
  }
  return out;
}

void session_media::uploaded(const std::vector<std::string>& ids) {
  if (uploaded_.size() + ids.size() > max_remembered)
    uploaded_.clear();
  uploaded_.insert(ids.begin(), ids.end());
}

} // namespace mc
