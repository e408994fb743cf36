#pragma once

/// The JSON answers of the Cloud API simulator's query API.

#include <string>
#include <vector>

#include "http/cloud_sim/cloud_sim_parts.hpp"

namespace mc {

/// {"sends","accepted","duplicates","reads","inbound","refused":{"<code>":n},
/// "media":{...},"webhooks":{...},"faults":{...}}
std::string cloud_stats_json(cloud_sim_parts& parts);

/// {"messages":[{"seq","id","recipient","by_user_id","type","timestamp",
/// "duplicate","body"}]}; body is the request body as a string.
std::string cloud_messages_json(const std::vector<cloud_sent_message>& xs);

/// One message object as in cloud_messages_json.
std::string cloud_message_json(const cloud_sent_message& m);

/// {"total","reads":[{"message_id","timestamp"}]}
std::string cloud_reads_json(cloud_sim_ledger& ledger);

/// {"counts":{...},"attempts":[{"batch","attempt","status","ok","events",
/// "error"}]}
std::string cloud_webhooks_json(cloud_sim_webhooks& hooks);

/// {"ok","status","challenge","echo","error"}
std::string cloud_verification_json(const cloud_webhook_verification& v);

/// {"templates":[{"name","language","category"}]}
std::string cloud_templates_json(cloud_sim_templates& templates);

} // namespace mc
