#pragma once

/// The components of one Cloud API simulator, shared by its Graph API
/// server, its query API and its background threads.

#include <memory>

#include "http/cloud_sim/cloud_sim_config.hpp"
#include "http/cloud_sim/cloud_sim_faults.hpp"
#include "http/cloud_sim/cloud_sim_inbound.hpp"
#include "http/cloud_sim/cloud_sim_ledger.hpp"
#include "http/cloud_sim/cloud_sim_limits.hpp"
#include "http/cloud_sim/cloud_sim_media.hpp"
#include "http/cloud_sim/cloud_sim_templates.hpp"
#include "http/cloud_sim/cloud_sim_token.hpp"
#include "http/cloud_sim/cloud_sim_webhooks.hpp"

namespace mc {

/// Everything one simulator holds.
struct cloud_sim_parts {
  cloud_sim_config cfg;
  std::shared_ptr<cloud_sim_token> token;
  std::shared_ptr<cloud_sim_ledger> ledger;
  std::shared_ptr<cloud_sim_limits> limits;
  std::shared_ptr<cloud_sim_media> media;
  std::shared_ptr<cloud_sim_faults> faults;
  std::shared_ptr<cloud_sim_templates> templates;
  std::shared_ptr<cloud_sim_webhooks> webhooks;
  std::shared_ptr<cloud_sim_inbound> inbound;

  /// Builds the components of `cfg` (threads not started).
  static cloud_sim_parts make(const cloud_sim_config& cfg);

  /// POST /reset: traffic, counts, faults, limits, media and templates.
  void reset();
};

} // namespace mc
