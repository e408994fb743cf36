#pragma once

/// A cluster relaying to a Cloud API simulator, for the end-to-end tests of
/// the relay: one master, `coreapps` coreapps, one webapp whose
/// /v1/cloud/webhook the simulator posts to, and an On-Prem webhook
/// receiver set as the client's webhook.

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <httplib.h>

#include "support/test_cloud_sim.hpp"
#include "support/test_cluster.hpp"
#include "support/webhook_counter.hpp"

namespace mc::test {

class cloud_bridge {
public:
  /// The verification token Meta's GET must name.
  static constexpr const char* verify_token = "e2e-verify";

  /// Starts the cluster and the simulator (`sim_flags` appended to its
  /// command line) and waits until every shard has an owner and the
  /// client's webhook is set.
  cloud_bridge(const std::string& name, int coreapps, int shards,
               std::vector<std::string> sim_flags = {});
  ~cloud_bridge();

  cloud_bridge(const cloud_bridge&) = delete;
  cloud_bridge& operator=(const cloud_bridge&) = delete;

  /// The flags a relaying coreapp of this bridge starts with.
  std::vector<std::string> coreapp_flags() const;

  /// A client of the webapp's /v1 API.
  httplib::Client api() const;

  /// The admin's Authorization header.
  httplib::Headers auth() const;

  /// Sends `body` as a text to `to`, with `key` as its X-Idempotency-Key
  /// when given (a retry with the same key is the same message); our id,
  /// or "" when not accepted.
  std::string send_text(const std::string& to, const std::string& body,
                        const std::string& key = {});

  /// POSTs `body` to /v1/cloud/webhook signed with the app secret, as
  /// Meta does; the HTTP status (0: no answer).
  int post_cloud_webhook(const std::string& body);

  /// Text bodies the simulator took, with how often each came.
  std::map<std::string, int> sim_bodies();

  /// The text bodies the simulator took for each recipient, in the order
  /// it took them.
  std::map<std::string, std::vector<std::string>> sim_bodies_by_recipient();

  test_cluster c;
  std::unique_ptr<test_cloud_sim> sim;
  webhook_counter hook;
  std::string token;

private:
  std::string secret_;
  std::string secret_file_;
};

} // namespace mc::test
