#include "actors/protocol/stats.hpp"
#include "actors/protocol/upstream_contacts.hpp"

namespace mc {

void register_stats_protocol(caf::actor_system_config& cfg) {
  cfg.add_message_type<stat_sample>("stat_sample");
  cfg.add_message_type<stat_samples>("std::vector<stat_sample>");
}

void register_contacts_protocol(caf::actor_system_config& cfg) {
  cfg.add_message_type<contact_check>("contact_check");
  cfg.add_message_type<contact_checks>("std::vector<contact_check>");
}

} // namespace mc
