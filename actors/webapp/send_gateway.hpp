#pragma once

#include <chrono>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/error.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/protocol/send.hpp"
#include "actors/protocol/timeouts.hpp"

namespace mc {

/// What became of one send handed to a shard.
struct send_outcome {
  bool accepted = false;
  caf::error error;
};

/// One send from an HTTP thread to the shard that owns the recipient: the
/// wire item itself, plus where it goes and who waits for it.
struct send_job {
  send_item item;
  caf::actor node;
  std::chrono::milliseconds timeout{timeouts::webapp_send};
  std::shared_ptr<std::promise<send_outcome>> done;
};

/// Sends for one coreapp collected since the last flush.
struct gateway_batch {
  caf::actor node;
  std::vector<send_item> items;
  std::vector<std::shared_ptr<std::promise<send_outcome>>> done;
  std::chrono::milliseconds timeout{timeouts::webapp_send};
};

/// State of a send gateway: bridges the webapp's HTTP threads to the
/// coreapps. Sends that arrive together go to a coreapp as one batch
/// message. It monitors every coreapp it sends to, so the requests waiting
/// on a coreapp that dies fail at once instead of at their timeout.
struct send_gateway_state {
  static inline const char* name = "send_gateway";
  /// Most sends per batch message.
  size_t max_batch = 512;
  /// How long a batch may wait for more sends before it leaves. Zero: it
  /// leaves as soon as the gateway has read its mailbox.
  std::chrono::microseconds linger{0};
  bool flush_scheduled = false;
  std::map<caf::actor_addr, gateway_batch> filling;
  uint64_t next_batch = 0;
  /// Batches waiting for an answer, and which of them wait on which node.
  std::map<uint64_t,
           std::vector<std::shared_ptr<std::promise<send_outcome>>>>
    waiting;
  std::map<caf::actor_addr, std::set<uint64_t>> by_node;
  std::set<caf::actor_addr> monitored;
  /// Batch statistics since the last report.
  uint64_t sent_total = 0;
  uint64_t batches = 0;
  uint64_t reported = 0;
};

caf::behavior send_gateway(caf::stateful_actor<send_gateway_state>* self);

/// A send gateway whose batches wait up to `linger_us` for more sends.
caf::behavior lingering_send_gateway(
  caf::stateful_actor<send_gateway_state>* self, int linger_us);

} // namespace mc

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mc::send_job)
