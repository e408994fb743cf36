#pragma once

/// The sends a shard holds, and the limit on them (the 1016 path).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <caf/typed_response_promise.hpp>

#include "actors/protocol/errors.hpp"
#include "actors/protocol/send.hpp"
#include "actors/protocol/upstream.hpp"

namespace mc {

/// Collects the outcomes of one batched request and answers it once all
/// are known: one code per item, 0 for committed.
struct batch_reply {
  caf::typed_response_promise<send_codes> promise;
  send_codes codes;
  size_t remaining = 0;

  /// A reply for `n` items; an empty batch is answered at once.
  static std::shared_ptr<batch_reply>
  make(caf::typed_response_promise<send_codes> promise, size_t n);

  void set(size_t index, int32_t code);

  /// Answers every item with `code`.
  void refuse_all(mc_errc code);
};

/// A send waiting for its group commit, answered through its batch.
struct waiting_send {
  upstream_message msg;
  std::shared_ptr<batch_reply> batch;
  size_t index = 0;
};

/// Answers each of `xs` with `code` and empties it.
void fail(std::vector<waiting_send>& xs, mc_errc code);

/// The sends of a shard: waiting for the next group commit, in the commit
/// in flight, and committed but not yet acked upstream. All of them count
/// towards the limit, since all of them are held in memory.
class send_queue {
public:
  explicit send_queue(size_t max_queue = 50000) : max_queue_(max_queue) {
    // nop
  }

  /// Queues every item of a batch answered through `reply`, or none:
  /// mc_errc::overloaded when they would pass the limit.
  mc_errc admit(std::vector<send_item>& items,
                const std::shared_ptr<batch_reply>& reply);

  /// True when sends wait for a commit.
  bool has_waiting() const {
    return !waiting_.empty();
  }

  /// True while a commit is in flight.
  bool committing() const {
    return in_commit_ > 0;
  }

  /// Moves up to `n` waiting sends (the oldest) into the commit in flight.
  std::vector<waiting_send> start_commit(size_t n);

  /// The commit in flight is done, whatever its outcome.
  void end_commit() {
    in_commit_ = 0;
  }

  /// `n` committed sends went to the upstream session.
  void handed(size_t n) {
    unacked_ += n;
  }

  /// The session reports `n` of them acked.
  void acked(size_t n);

  /// Answers every send waiting for a commit with `code`.
  void fail_waiting(mc_errc code) {
    fail(waiting_, code);
  }

private:
  size_t max_queue_;
  std::vector<waiting_send> waiting_;
  size_t in_commit_ = 0;
  size_t unacked_ = 0;
};

} // namespace mc
