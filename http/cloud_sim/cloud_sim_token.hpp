#pragma once

/// The simulator's access token: the first line of a file, re-read when the
/// file changes, and a fault that expires it until the file changes again.

#include <cstdint>
#include <mutex>
#include <string>

namespace mc {

/// What a Bearer token is worth.
enum class cloud_token_verdict { ok, invalid, expired };

/// Checks Bearer tokens against the token file.
class cloud_sim_token {
public:
  explicit cloud_sim_token(std::string path);

  /// The verdict for the Authorization header value `header`.
  cloud_token_verdict check(const std::string& header);

  /// Expires the current token: every check answers `expired` until the
  /// file's contents change.
  void expire();

  /// Cancels `expire` (POST /reset).
  void restore();

private:
  /// Re-reads the file if its size or modification time changed.
  void refresh_locked();

  std::string path_;
  std::mutex mtx_;
  std::string token_;
  int64_t mtime_ns_ = -1;
  int64_t size_ = -1;
  /// The token that was valid when `expire` was called; empty: none.
  std::string expired_;
};

} // namespace mc
