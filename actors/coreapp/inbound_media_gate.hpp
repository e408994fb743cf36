#pragma once

/// Holds a shard's inbound batches back while the media they name are
/// fetched from the upstream into the media store, so a webhook consumer
/// that calls GET /v1/media/{id} on receiving the message finds the media
/// (developers.facebook.com/docs/whatsapp/api/media: "retrieve media" by
/// the id of an inbound message). Batches leave in arrival order: one
/// without media waits behind one still fetching. A plain object of the
/// shard.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "actors/protocol/upstream.hpp"

namespace mc {

class inbound_media_gate {
public:
  /// The media ids an inbound message names: the "id" of its image, audio,
  /// video, document, voice or sticker object; empty for other types.
  static std::vector<std::string> media_ids(const inbound_message& m);

  /// Queues `xs`, waiting for `fetches` fetches (0: it waits only for the
  /// batches before it). Returns its ticket.
  uint64_t add(std::vector<inbound_message> xs, size_t fetches);

  /// One fetch of `ticket` finished (stored or not). Returns the batches
  /// that may leave now, in order.
  std::vector<std::vector<inbound_message>> fetched(uint64_t ticket);

  /// Every batch held, in order, for a shard that stops.
  std::vector<std::vector<inbound_message>> take_all();

  /// True when nothing is held.
  bool empty() const {
    return held_.empty();
  }

private:
  struct held {
    uint64_t ticket;
    size_t waiting;
    std::vector<inbound_message> xs;
  };

  std::vector<std::vector<inbound_message>> release();

  uint64_t next_ticket_ = 0;
  std::deque<held> held_;
};

} // namespace mc
