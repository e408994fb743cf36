#include "http/cloud_sim/cloud_sim_parts.hpp"

namespace mc {

cloud_sim_parts cloud_sim_parts::make(const cloud_sim_config& cfg) {
  cloud_sim_parts p;
  p.cfg = cfg;
  p.token = std::make_shared<cloud_sim_token>(cfg.token_file);
  p.ledger = std::make_shared<cloud_sim_ledger>(cfg.messages_cap);
  p.limits = std::make_shared<cloud_sim_limits>(
    cfg.mps, cfg.mps_burst, cfg.pair_per_min, cfg.pair_burst);
  p.media = std::make_shared<cloud_sim_media>(cfg.media_cap_bytes);
  p.faults = std::make_shared<cloud_sim_faults>();
  p.templates = std::make_shared<cloud_sim_templates>();
  p.webhooks = std::make_shared<cloud_sim_webhooks>(cfg, p.faults);
  p.inbound = std::make_shared<cloud_sim_inbound>(cfg, p.ledger, p.media,
                                                  p.webhooks);
  return p;
}

void cloud_sim_parts::reset() {
  faults->reset();
  token->restore();
  ledger->reset();
  limits->reset();
  media->reset();
  templates->clear();
  webhooks->reset();
}

} // namespace mc
