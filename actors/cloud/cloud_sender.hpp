#pragma once

/// A Cloud API sender: one keep-alive connection and the queue of the
/// recipients hashed to it. The node's cloud_upstream spreads messages over
/// its senders by recipient, so one recipient's messages leave from one
/// sender in order; a sender holds a recipient back after a pair rate limit
/// (131056) or a transient error without holding back the others, and
/// stops altogether while the number is throttled (130429) or the token is
/// refused (190). Blocking HTTP and database calls: spawn detached.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/cloud/cloud_client.hpp"
#include "actors/cloud/cloud_context.hpp"
#include "actors/protocol/upstream_media.hpp"
#include "actors/protocol/upstream_read.hpp"

namespace mc {

using cloud_send_atom = caf::atom_constant<caf::atom("cloudsend")>;

/// One message for the Cloud API, translated.
struct cloud_job {
  int32_t shard = 0;
  int64_t epoch = 0;
  std::string id;
  std::string recipient;
  std::string body;
};

/// How a job ended.
enum class cloud_result : uint8_t {
  /// The Cloud API took it (wamid recorded).
  sent,
  /// The Cloud API refused it for good: code and title are the On-Prem
  /// error of the failed status.
  failed,
  /// The shard moved: nothing more is sent for its epoch.
  fenced,
};

struct cloud_outcome {
  cloud_result result = cloud_result::sent;
  std::string wamid;
  int32_t code = 0;
  std::string title;
};

using cloud_sender_actor = caf::typed_actor<
  /// (cloud_send, job) -> outcome, once the job ended.
  caf::replies_to<cloud_send_atom, cloud_job>::with<cloud_outcome>,
  /// (mark_read, shard, epoch, message id, sender) -> ok once the Cloud
  /// API took the read receipt.
  caf::replies_to<mark_read_atom, int32_t, int64_t, std::string,
                  std::string>::with<caf::ok_atom>,
  caf::replies_to<upload_media_atom, std::string, std::string, std::string,
                  std::string, std::string>::with<caf::ok_atom>,
  caf::replies_to<download_media_atom, std::string,
                  std::string>::with<std::string, std::string>,
  /// Local: work on the queue.
  caf::reacts_to<caf::tick_atom>>;

/// A queued job and who waits for it.
struct cloud_entry {
  cloud_job job;
  bool read = false;
  caf::typed_response_promise<cloud_outcome> sent;
  caf::typed_response_promise<caf::ok_atom> read_done;
  int attempts = 0;
  /// Set once the Cloud API took it and only the record is left to write.
  std::string wamid;
};

/// One recipient's jobs, in order, and when it may be tried again.
struct cloud_recipient_queue {
  std::deque<cloud_entry> entries;
  std::chrono::steady_clock::time_point not_before{};
};

struct cloud_sender_state {
  static inline const char* name = "cloud_sender";
  std::shared_ptr<cloud_context> ctx;
  std::unique_ptr<cloud_client> client;
  std::map<std::string, cloud_recipient_queue> queues;
  /// Recipients with queued jobs, round robin.
  std::deque<std::string> ready;
  /// When the next delayed tick is due, if one is armed.
  std::optional<std::chrono::steady_clock::time_point> tick_due;
};

cloud_sender_actor::behavior_type
cloud_sender(cloud_sender_actor::stateful_pointer<cloud_sender_state> self,
             std::shared_ptr<cloud_context> ctx);

} // namespace mc

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mc::cloud_job)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mc::cloud_outcome)
