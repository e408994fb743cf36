#pragma once

#include <vector>

#include "actors/coreapp/shard.hpp"

namespace mc {

/// How long an inbound batch waits for its media before its webhook goes
/// out regardless: a consumer is better told late of a media it cannot
/// fetch yet than never.
constexpr auto inbound_media_wait = std::chrono::seconds{10};

/// A fetch that failed is tried once more this much later, so the media
/// reaches the store when the upstream only blinked.
constexpr auto inbound_media_retry = std::chrono::seconds{5};

/// A shard's inbound messages: the media they name are fetched into the
/// media store (actors/coreapp/media_relay.hpp) before the messages go on
/// to shard_events (recorded, webhook queued), so GET /v1/media/{id}
/// serves a media once its webhook is out. A failed fetch is logged and
/// retried once later; the webhook is delivered anyway. The push is
/// answered once the batch is committed (shard_callbacks).
caf::result<caf::ok_atom>
shard_inbound(shard_actor::stateful_pointer<shard_state> self, int32_t shard,
              int64_t epoch, std::vector<inbound_message> xs);

} // namespace mc
