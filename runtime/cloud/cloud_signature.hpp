#pragma once

/// The signature Meta puts on every webhook POST: the header
/// X-Hub-Signature-256: sha256=<hex>, the HMAC-SHA256 of the raw body with
/// the app secret as key (developers.facebook.com/docs/graph-api/webhooks/
/// getting-started, "Validate payloads").

#include <string>
#include <string_view>

namespace mc {

/// Signs and checks webhook bodies with one app secret.
class cloud_signature {
public:
  explicit cloud_signature(std::string app_secret);

  /// Whether `header`, the X-Hub-Signature-256 value "sha256=<hex>", is
  /// the signature of `raw_body` (the bytes as received, before any
  /// parsing). Hex digits in either case; false for a missing (empty) or
  /// malformed header: another prefix, not 64 hex digits. The digests are
  /// compared in constant time.
  bool verify(std::string_view raw_body, std::string_view header) const;

  /// "sha256=<lowercase hex>" for `raw_body`: what the simulator sends.
  std::string sign(std::string_view raw_body) const;

private:
  std::string secret_;
};

} // namespace mc
