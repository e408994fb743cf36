#pragma once

/// Inbound user messages of the Cloud API simulator: injected through the
/// query API, or random traffic from simulated users. Each becomes a
/// messages[] webhook with its contacts[] entry; a user who hides the
/// number appears by BSUID alone (from_user_id, contacts[].user_id).

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <variant>

#include "http/cloud_sim/cloud_sim_config.hpp"
#include "http/cloud_sim/cloud_sim_ledger.hpp"
#include "http/cloud_sim/cloud_sim_media.hpp"
#include "http/cloud_sim/cloud_sim_webhooks.hpp"

namespace mc {

/// An injected message: its wamid, or why it was refused (and the HTTP
/// status for the query API).
struct cloud_inbound_refusal {
  int status = 400;
  std::string why;
};
using cloud_inbound_result = std::variant<cloud_inbound_refusal, std::string>;

/// Makes and submits inbound messages.
class cloud_sim_inbound {
public:
  cloud_sim_inbound(const cloud_sim_config& cfg,
                    std::shared_ptr<cloud_sim_ledger> ledger,
                    std::shared_ptr<cloud_sim_media> media,
                    std::shared_ptr<cloud_sim_webhooks> webhooks);
  ~cloud_sim_inbound();

  cloud_sim_inbound(const cloud_sim_inbound&) = delete;
  cloud_sim_inbound& operator=(const cloud_sim_inbound&) = delete;

  /// POST /inbound: {"from"?, "user_id"?, "hide_number"?, "name"?, "id"?}
  /// and one of "body":"text", "type":"<t>" (a sample of that type) or
  /// "message":{"type":"<t>","<t>":{...}}; "from" or "user_id" required.
  cloud_inbound_result inject(std::string_view body);

  /// Starts the random traffic if `cfg.inbound_rate` > 0.
  void start();
  void stop();

  /// The BSUID the simulator gives the user of phone number `phone`.
  static std::string bsuid_for(const std::string& phone);

private:
  void run();

  cloud_sim_config cfg_;
  std::shared_ptr<cloud_sim_ledger> ledger_;
  std::shared_ptr<cloud_sim_media> media_;
  std::shared_ptr<cloud_sim_webhooks> webhooks_;
  std::atomic<bool> running_{false};
  std::thread thread_;
};

} // namespace mc
