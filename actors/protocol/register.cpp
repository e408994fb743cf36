#include "actors/protocol/register.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include "actors/protocol/cluster.hpp"
#include "actors/protocol/errors.hpp"
#include "actors/protocol/send.hpp"
#include "actors/protocol/stats.hpp"
#include "actors/protocol/upstream_contacts.hpp"
#include "actors/protocol/upstream.hpp"

namespace mc {

void register_protocol(caf::actor_system_config& cfg) {
  cfg.add_message_type<upstream_message>("upstream_message");
  cfg.add_message_type<std::vector<upstream_message>>(
    "std::vector<upstream_message>");
  cfg.add_message_type<send_item>("send_item");
  cfg.add_message_type<std::vector<send_item>>("std::vector<send_item>");
  cfg.add_message_type<upstream_receipt>("upstream_receipt");
  cfg.add_message_type<std::vector<upstream_receipt>>(
    "std::vector<upstream_receipt>");
  cfg.add_message_type<inbound_message>("inbound_message");
  cfg.add_message_type<std::vector<inbound_message>>(
    "std::vector<inbound_message>");
  cfg.add_message_type<std::vector<int32_t>>("std::vector<int32_t>");
  cfg.add_message_type<shard_epoch>("shard_epoch");
  cfg.add_message_type<std::vector<shard_epoch>>("std::vector<shard_epoch>");
  cfg.add_message_type<upstream_owner_actor>("mc::upstream_owner_actor");
  cfg.add_message_type<route_entry>("route_entry");
  cfg.add_message_type<std::vector<route_entry>>("std::vector<route_entry>");
  cfg.add_message_type<map_version>("map_version");
  cfg.add_message_type<map_update>("map_update");
  register_stats_protocol(cfg);
  register_contacts_protocol(cfg);
  cfg.add_error_category(caf::atom("mc"),
                         [](uint8_t code, caf::atom_value,
                            const caf::message& ctx) {
                           std::string out = "mc::";
                           out += to_string(static_cast<mc_errc>(code));
                           if (ctx.match_elements<std::string>())
                             out += "(" + ctx.get_as<std::string>(0) + ")";
                           return out;
                         });
}

} // namespace mc
