#pragma once

/// The status webhooks of one accepted send: sent, delivered and read,
/// shaped as the reference's statuses[] objects.

#include <string>
#include <vector>

#include "http/cloud_sim/cloud_sim_ledger.hpp"
#include "http/cloud_sim/cloud_sim_webhooks.hpp"

namespace mc {

/// The events of `m`: sent now, delivered after `delivered_ms`, read after
/// `read_ms` (none when 0). `category` is the pricing category: a
/// template's, or "service" for a free-form message.
std::vector<cloud_timed_event> cloud_status_events(
  const cloud_sent_message& m, const std::string& category, int delivered_ms,
  int read_ms);

} // namespace mc
