#include "actors/protocol/protocol.hpp"

#include <caf/make_message.hpp>

namespace mc {

caf::error make_error(mc_errc code, std::string context) {
  if (context.empty())
    return {static_cast<uint8_t>(code), caf::atom("mc")};
  return {static_cast<uint8_t>(code), caf::atom("mc"),
          caf::make_message(std::move(context))};
}

bool is(const caf::error& err, mc_errc code) {
  return err.category() == caf::atom("mc")
         && err.code() == static_cast<uint8_t>(code);
}

namespace {

const char* errc_name(uint8_t code) {
  switch (static_cast<mc_errc>(code)) {
    case mc_errc::none: return "none";
    case mc_errc::stale_epoch: return "stale_epoch";
    case mc_errc::not_owner: return "not_owner";
    case mc_errc::overloaded: return "overloaded";
    case mc_errc::upstream_refused: return "upstream_refused";
    case mc_errc::database: return "database";
    case mc_errc::resharding: return "resharding";
  }
  return "unknown";
}

} // namespace

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
  cfg.add_message_type<route_entry>("route_entry");
  cfg.add_message_type<std::vector<route_entry>>("std::vector<route_entry>");
  cfg.add_message_type<map_version>("map_version");
  cfg.add_message_type<map_update>("map_update");
  cfg.add_error_category(caf::atom("mc"),
                         [](uint8_t code, caf::atom_value,
                            const caf::message& ctx) {
                           std::string out = "mc::";
                           out += errc_name(code);
                           if (ctx.match_elements<std::string>())
                             out += "(" + ctx.get_as<std::string>(0) + ")";
                           return out;
                         });
}

} // namespace mc
