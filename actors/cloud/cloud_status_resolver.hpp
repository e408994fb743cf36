#pragma once

#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <vector>

#include "actors/cloud/cloud_context.hpp"
#include "actors/protocol/upstream.hpp"

namespace mc {

/// Turns the Cloud API's statuses (named by wamid) into our receipts (named
/// by our id). A plain object of the node's cloud_upstream.
///
/// A status whose wamid is not known yet (it overtook the record of its
/// send) is asked for again: `resolve` answers nullopt and the webhook is
/// answered 503, so Meta posts it again. Only a status older than
/// `give_up_s` with a wamid still unknown (a message this cluster never
/// sent, or whose record a crash lost) is dropped, and counted.
class cloud_status_resolver {
public:
  static constexpr int64_t give_up_s = 600;

  explicit cloud_status_resolver(std::shared_ptr<cloud_context> ctx);

  /// Our receipts for `statuses`, or nullopt when one must wait. Throws
  /// when the database fails (the webhook is then retried as well).
  std::optional<std::vector<upstream_receipt>>
  resolve(const std::vector<upstream_receipt>& statuses,
          std::time_t now = std::time(nullptr));

private:
  std::shared_ptr<cloud_context> ctx_;
};

} // namespace mc
