#pragma once

/// The media the upstream simulator holds: what coreapps uploaded before
/// sending a media message, and what simulated users "sent" (put through
/// the query API) for coreapps to download. Shared by the simulator actor
/// and its query server; thread-safe.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "actors/protocol/errors.hpp"

namespace mc {

/// One held media.
struct sim_media_entry {
  std::string account;
  std::string mime_type;
  /// Lowercase hex SHA-256 of `bytes`, checked on upload.
  std::string sha256;
  std::shared_ptr<const std::string> bytes;
  /// Uploads of this id (a repeat is answered ok and not stored again).
  uint64_t uploads = 0;
};

/// The simulator's media, bounded by total size: the oldest go first when
/// a new one would pass `max_total_bytes`.
class sim_media {
public:
  explicit sim_media(size_t max_total_bytes = 512u * 1024 * 1024);

  sim_media(const sim_media&) = delete;
  sim_media& operator=(const sim_media&) = delete;

  /// Takes an upload: mc_errc::none when held (new or repeated),
  /// mc_errc::media_invalid when `sha256` is not that of `bytes`.
  mc_errc put(const std::string& account, const std::string& id,
              const std::string& mime_type, const std::string& sha256,
              std::string bytes);

  /// The media `id`, nullopt when none is held.
  std::optional<sim_media_entry> get(const std::string& id) const;

  /// Number of media held.
  size_t count() const;

private:
  void evict_for(size_t incoming);

  size_t max_total_;
  size_t total_ = 0;
  mutable std::mutex mtx_;
  std::map<std::string, sim_media_entry> media_;
  /// Ids in arrival order, for eviction.
  std::deque<std::string> order_;
};

} // namespace mc
