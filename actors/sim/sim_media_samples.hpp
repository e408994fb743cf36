#pragma once

/// The media behind the simulator's inbound samples: small deterministic
/// bytes per media id, starting with the signature of their mime type, so
/// a coreapp downloads real bytes whose digest is the payload's "sha256".

#include <optional>
#include <string>
#include <string_view>

namespace mc {

/// One sample media.
struct sim_sample_media {
  std::string id;
  std::string mime_type;
  std::string bytes;
  /// Lowercase hex SHA-256 of `bytes`.
  std::string sha256;
};

/// A plain object: makes the media of the samples.
class sim_media_samples {
public:
  /// Ids of sample media start with this ("sim-media-<type>-<n>").
  static constexpr std::string_view id_prefix = "sim-media-";

  /// The mime type of a sample media of message `type`; empty when the
  /// type carries no media.
  static std::string mime_of(const std::string& type);

  /// The media `id` of type `mime`: the same bytes for the same id.
  static sim_sample_media make(const std::string& id, const std::string& mime);

  /// The sample media an inbound payload names: nullopt unless the
  /// payload is a media message whose id is a sample id.
  static std::optional<sim_sample_media> of_payload(std::string_view payload);
};

} // namespace mc
