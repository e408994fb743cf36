#pragma once

/// Which media an upstream session has uploaded: a plain object of the
/// session, so that a media message's media is uploaded once per session
/// and text batches cost one substring search per message.

#include <cstddef>
#include <string>
#include <unordered_set>
#include <vector>

#include "actors/protocol/upstream.hpp"

namespace mc {

/// The message document of `m` (the On-Prem message JSON it was accepted
/// with), where a media message names its media id.
const std::string& message_document(const upstream_message& m);

class session_media {
public:
  /// Ids remembered before the set starts over: the upstream takes a
  /// repeated upload idempotently, so forgetting costs one upload.
  static constexpr size_t max_remembered = 100000;

  /// The media ids `msgs` refer to that this session has not uploaded, in
  /// message order, each once.
  std::vector<std::string> missing(
    const std::vector<upstream_message>& msgs) const;

  /// Records `ids` as uploaded.
  void uploaded(const std::vector<std::string>& ids);

private:
  std::unordered_set<std::string> uploaded_;
};

} // namespace mc
