#pragma once

/// The coreapp's media relay: moves media between the media store
/// (PostgreSQL, runtime/store/media_store) and the upstream
/// (actors/protocol/upstream_media.hpp).
///
///   session                         relay                       upstream
///     |-- (ensure_media, account, upstream, [id...]) -->|             |
///     |                                |-- (upload_media, ...) ----->|  one
///     |<------------- ok | media_unknown | database | upstream's error|  per id
///   inbound path
///     |-- (fetch_media, account, upstream, id) ------->|             |
///     |                                |-- (download_media, ...) --->|
///     |<------------------- ok (stored under id) | media_unknown ...|
///
/// Detached: it reads and writes the store with blocking calls, off the
/// shards' threads. Its connection is opened on first use, so a node that
/// never handles media holds no extra connection.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/lifecycle.hpp"
#include "actors/protocol/upstream_media.hpp"
#include "runtime/store/db_connection.hpp"

namespace mc {

using ensure_media_atom = caf::atom_constant<caf::atom("mediaensur")>;
using fetch_media_atom = caf::atom_constant<caf::atom("mediafetch")>;

/// One media transfer to or from the upstream (100 MB on loopback takes
/// about a second; a slow link gets this long).
constexpr auto media_transfer_timeout = std::chrono::seconds{30};

/// Media received from users expire like uploads, 30 days after they came.
constexpr int64_t received_media_ttl_s = 30 * 24 * 3600;

/// The interface of the relay.
using media_relay_actor = caf::typed_actor<
  /// (ensure_media, account, upstream, ids) -> ok: each media is in the
  /// upstream (uploaded from the store, in order). Fails with
  /// mc_errc::media_unknown when the store has no such media (deleted or
  /// expired), mc_errc::database, or the upstream's error.
  caf::replies_to<ensure_media_atom, std::string, upstream_media_actor,
                  std::vector<std::string>>::with<caf::ok_atom>,
  /// (fetch_media, account, upstream, id) -> ok: the upstream's media `id`
  /// is in the store under `id`, so GET /v1/media/{id} serves it from any
  /// webapp.
  caf::replies_to<fetch_media_atom, std::string, upstream_media_actor,
                  std::string>::with<caf::ok_atom>,
  caf::reacts_to<stop_atom>>;

/// State of the relay.
struct media_relay_state {
  static inline const char* name = "media_relay";
  db_connection db;
};

/// Spawn detached with the database URI.
media_relay_actor::behavior_type
media_relay(media_relay_actor::stateful_pointer<media_relay_state> self,
            std::string db_uri);

/// How long a caller waits for `ensure_media` of `n` media: longer than the
/// relay's transfers one after the other.
inline std::chrono::milliseconds ensure_media_timeout(size_t n) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
    media_transfer_timeout * static_cast<int64_t>(n)
    + std::chrono::seconds{5});
}

} // namespace mc
