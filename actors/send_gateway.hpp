#pragma once

#include <chrono>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/error.hpp>
#include <caf/stateful_actor.hpp>

namespace mc {

/// What became of one send handed to a shard.
struct send_outcome {
  bool accepted = false;
  caf::error error;
};

/// One send from an HTTP thread to the shard that owns the recipient.
struct send_job {
  int32_t shard = 0;
  int64_t epoch = 0;
  std::string id;
  std::string recipient;
  std::string body;
  caf::actor node;
  std::chrono::milliseconds timeout{5000};
  std::shared_ptr<std::promise<send_outcome>> done;
};

/// State of a send gateway: bridges the webapp's HTTP threads to the
/// coreapps. It monitors every coreapp it sends to, so the requests waiting
/// on a coreapp that dies fail at once instead of at their timeout.
struct send_gateway_state {
  static inline const char* name = "send_gateway";
  uint64_t next_job = 0;
  /// Jobs waiting for an answer, and which of them wait on which node.
  std::map<uint64_t, std::shared_ptr<std::promise<send_outcome>>> waiting;
  std::map<caf::actor_addr, std::set<uint64_t>> by_node;
  std::set<caf::actor_addr> monitored;
};

caf::behavior send_gateway(caf::stateful_actor<send_gateway_state>* self);

} // namespace mc

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mc::send_job)
