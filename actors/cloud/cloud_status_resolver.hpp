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
/// answered 503, so Meta posts it again. A status older than `give_up_s`
/// with a wamid still unknown is dropped, and counted: its send's record
/// was lost with a crashed owner between the Cloud API's answer and the
/// record, the next owner sends the message again, and that send's own
/// statuses come. Short, because Meta posts several statuses in one
/// request and the others wait with it.
class cloud_status_resolver {
public:
  static constexpr int64_t give_up_s = 10;

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
