#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "actors/cloud/cloud_context.hpp"
#include "actors/protocol/upstream.hpp"
#include "runtime/store/cloud_store.hpp"

namespace mc {

/// Turns the Cloud API's statuses (named by wamid) into our receipts (named
/// by our id). A plain object of the node's cloud_upstream; its database
/// calls throw when the database fails (the webhook is then retried).
///
/// A status whose wamid is not recorded yet (it overtook the record of its
/// send, or its send's owner died before recording it) is never dropped:
/// it waits in the database (`park`) and the intake answers Meta 200 once
/// it is there. The node's sweep (`matched`, then `forget` once the shard
/// persisted them) hands each waiting status to its shard as soon as its
/// wamid is recorded, whichever node recorded it.
class cloud_status_resolver {
public:
  /// What became of one post's statuses.
  struct resolution {
    /// Named by our id, for the shard.
    std::vector<upstream_receipt> receipts;
    /// Named by wamid, to wait for their wamid.
    std::vector<cloud_waiting_status> waiting;
  };

  /// How many waiting statuses one sweep hands on at most.
  static constexpr size_t sweep_limit = 500;

  explicit cloud_status_resolver(std::shared_ptr<cloud_context> ctx);

  /// Our receipts for the `statuses` of a post, and those that must wait.
  resolution resolve(const std::vector<upstream_receipt>& statuses);

  /// Keeps `xs` until their wamids are recorded.
  void park(const std::vector<cloud_waiting_status>& xs);

  /// A waiting status whose wamid is recorded now, as the shard's receipt.
  struct matched_receipt {
    /// The key the user is routed by.
    std::string routing_key;
    /// What `forget` takes: wamid and status.
    std::pair<std::string, std::string> key;
    upstream_receipt receipt;
  };

  /// Waiting statuses whose wamid is recorded now (at most sweep_limit).
  std::vector<matched_receipt> matched();

  /// Deletes waiting statuses the shard persisted.
  void forget(const std::vector<std::pair<std::string, std::string>>& keys);

private:
  std::shared_ptr<cloud_context> ctx_;
};

} // namespace mc
