#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <pqxx/binarystring>
#include <pqxx/connection>

namespace mc {

// The `media` table (schema/005_media.sql): uploaded media and the media of
// received messages, shared by every node. Expired rows are never returned
// and are deleted by `prune_expired_media`.

/// What is known of a stored media without its bytes.
struct media_info {
  std::string id;
  std::string mime_type;
  /// Lowercase hex SHA-256 of the bytes.
  std::string sha256;
  int64_t size = 0;
};

/// A stored media with its bytes. `bytes` shares its buffer when copied, so
/// a 100 MB media is held once however often the value is passed on.
struct media_blob {
  media_info info;
  pqxx::binarystring bytes;
};

/// Stores a media that expires `ttl_s` seconds from now; false when the id
/// exists already (ids are random, so that is a caller's retry).
bool insert_media(pqxx::connection& conn, const media_info& info,
                  std::string_view bytes, int64_t ttl_s);

/// The media `id` with its bytes; nullopt when unknown or expired.
std::optional<media_blob> find_media(pqxx::connection& conn,
                                     const std::string& id);

/// The media `id` without its bytes; nullopt when unknown or expired. Cheap
/// enough for the send route to check a message's media id.
std::optional<media_info> find_media_info(pqxx::connection& conn,
                                          const std::string& id);

/// Deletes the media `id`; false when there was none (or it had expired).
bool delete_media(pqxx::connection& conn, const std::string& id);

/// Deletes up to `limit` expired media, oldest expiry first; returns how
/// many went. Bounded so that one call never holds a long transaction.
int64_t prune_expired_media(pqxx::connection& conn, size_t limit);

} // namespace mc
