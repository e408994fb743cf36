#pragma once

#include <ctime>
#include <mutex>
#include <optional>
#include <string>

namespace mc {

/// The Cloud API access token of a node, read from its file. A token the
/// Cloud API refused (code 190) is not used again: sending stops, nothing is
/// failed, until the file holds a new token (it is re-read when its mtime or
/// size changes, checked at most every `recheck` seconds, and on SIGHUP
/// through `reload`). Shared by the node's senders; thread-safe.
class cloud_token {
public:
  explicit cloud_token(std::string file);

  /// The token to use now, or nullopt while there is none usable (missing
  /// file, empty, or refused and unchanged).
  std::optional<std::string> current();

  /// The Cloud API refused `token`: stop using it until the file changes.
  void refused(const std::string& token);

  /// Forgets the file's state so the next `current` reads it again.
  void reload();

  /// "connected", or why sending is stopped ("token_expired",
  /// "token_missing"): the gateway status of /v1/health.
  std::string status();

private:
  void read_locked();

  std::mutex mtx_;
  std::string file_;
  std::string token_;
  std::string refused_token_;
  std::time_t mtime_ = 0;
  long long size_ = -1;
  std::time_t checked_ = 0;
};

} // namespace mc
