#pragma once

/// The upstream media protocol: media cross to and from the messaging
/// servers apart from the messages that refer to them, as the On-Prem
/// client uploads a media before it sends the message with its id, and
/// downloads a received message's media by id
/// (developers.facebook.com/docs/whatsapp/api/media).
///
///   coreapp                                                     upstream
///     |-- (upload_media, account, id, mime, sha256, bytes) ---------->|
///     |<---------------------------------------- ok | media_invalid --|
///     |-- (download_media, account, id) ----------------------------->|
///     |<-------------------------- (mime, bytes) | media_unknown -----|
///
/// An upload is idempotent by id: the same id again is answered ok without
/// being stored twice. The sha256 (lowercase hex) lets the upstream refuse
/// bytes damaged on the way (media_invalid). The upstream implements this
/// next to `upstream_actor`; a coreapp reaches it through the same handle
/// (actor_cast), so no second connection is needed.

#include <string>

#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

namespace mc {

using upload_media_atom = caf::atom_constant<caf::atom("mediaup")>;
using download_media_atom = caf::atom_constant<caf::atom("mediadown")>;

/// The media calls of an upstream.
using upstream_media_actor = caf::typed_actor<
  /// (upload_media, account, media id, mime type, sha256, bytes) -> ok:
  /// the upstream holds the media under `id` for `account`. Fails with
  /// mc_errc::media_invalid when the bytes do not match the sha256.
  caf::replies_to<upload_media_atom, std::string, std::string, std::string,
                  std::string, std::string>::with<caf::ok_atom>,
  /// (download_media, account, media id) -> (mime type, bytes): a media the
  /// upstream holds, such as one a user sent. Fails with
  /// mc_errc::media_unknown when it holds none under `id`.
  caf::replies_to<download_media_atom, std::string,
                  std::string>::with<std::string, std::string>>;

} // namespace mc
