#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "actors/protocol/upstream.hpp"
#include "actors/cloud/cloud_context.hpp"

namespace mc {

/// Keeps the phone number behind each business-scoped user id (BSUID) that
/// the Cloud API's webhooks name together with it (schema/014), so that
/// the user keeps its shard when it later hides the number. A plain object
/// of the node's cloud_upstream; a pair it wrote recently is not written
/// again (bounded memory).
class cloud_user_pairs {
public:
  /// How many recent pairs are remembered.
  static constexpr size_t remembered = 50000;

  explicit cloud_user_pairs(std::shared_ptr<cloud_context> ctx);

  /// Records the new pairs of a post. Throws when the database fails.
  void learn(const std::vector<upstream_receipt>& statuses,
             const std::vector<inbound_message>& messages);

private:
  std::shared_ptr<cloud_context> ctx_;
  std::map<std::string, std::string> known_;
  std::deque<std::string> order_;
};

} // namespace mc
