#pragma once

/// Media the Cloud API simulator holds: uploads of the business and the
/// samples its users send, by numeric media id, bounded in bytes.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace mc {

/// One stored medium.
struct cloud_media_entry {
  std::string id;
  std::string mime_type;
  std::string sha256;
  std::shared_ptr<const std::string> bytes;
};

/// Counts since the start or the last reset.
struct cloud_media_counts {
  uint64_t uploads = 0;
  uint64_t retrievals = 0;
  uint64_t downloads = 0;
  uint64_t deletes = 0;
  uint64_t stored = 0;
  uint64_t stored_bytes = 0;
};

/// The media store; thread-safe.
class cloud_sim_media {
public:
  explicit cloud_sim_media(size_t cap_bytes);

  /// Stores `bytes` under a new id; nullopt when the cap would be passed.
  std::optional<cloud_media_entry> put(std::string mime_type,
                                       std::string bytes);

  /// The medium `id`, nullopt if unknown or deleted.
  std::optional<cloud_media_entry> get(const std::string& id);

  /// Counts a URL retrieval or a download of an existing medium.
  void count_retrieval();
  void count_download();

  /// Deletes `id`; false if it was not there.
  bool erase(const std::string& id);

  cloud_media_counts counts();

  void reset();

private:
  size_t cap_bytes_;
  std::mutex mtx_;
  std::map<std::string, cloud_media_entry> entries_;
  cloud_media_counts counts_;
};

} // namespace mc
