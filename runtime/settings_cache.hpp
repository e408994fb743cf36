#pragma once

#include <memory>
#include <atomic>
#include <mutex>
#include <string>

#include "runtime/app_settings.hpp"

namespace mc {

/// The application settings as last read from the database, shared by the
/// actors of one node and refreshed by the node's heartbeat loop.
class settings_cache {
public:
  app_settings get() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return value_;
  }

  void set(app_settings value) {
    std::lock_guard<std::mutex> guard{mtx_};
    value_ = std::move(value);
  }

  /// The account sessions log in with ("default" before registration).
  std::string account() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return account_;
  }

  void set_account(std::string account) {
    std::lock_guard<std::mutex> guard{mtx_};
    account_ = std::move(account);
  }

  /// True when callbacks should be produced at all.
  bool webhooks_enabled() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return !value_.webhook_url.empty();
  }

  /// The callback queue's depth as last counted (up to its cap) and
  /// whether it is full: new sends answer 1016 while it is.
  void set_callback_queue(int64_t depth, bool full) {
    callback_depth_.store(depth);
    callback_full_.store(full);
  }

  int64_t callback_queue_depth() const {
    return callback_depth_.load();
  }

  bool callback_queue_full() const {
    return callback_full_.load();
  }

private:
  std::atomic<int64_t> callback_depth_{0};
  std::atomic<bool> callback_full_{false};
  mutable std::mutex mtx_;
  app_settings value_;
  std::string account_ = "default";
};

} // namespace mc
