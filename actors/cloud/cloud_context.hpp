#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "actors/cloud/cloud_pacer.hpp"
#include "actors/cloud/cloud_settings.hpp"
#include "actors/cloud/cloud_token.hpp"
#include "runtime/db_pool.hpp"
#include "runtime/store/cloud_store.hpp"

namespace mc {

/// Counters of the relay (GET /v1/health, the node's log).
struct cloud_counters {
  std::atomic<uint64_t> sent{0};
  std::atomic<uint64_t> failed{0};
  std::atomic<uint64_t> throttled{0};
  std::atomic<uint64_t> pair_limited{0};
  std::atomic<uint64_t> transient{0};
  std::atomic<uint64_t> token_refused{0};
  /// Statuses that came before their wamid was recorded, and how many
  /// of them were handed on later.
  std::atomic<uint64_t> waiting_statuses{0};
  std::atomic<uint64_t> matched_statuses{0};
};

/// What a coreapp node's Cloud API actors share: settings, the token, the
/// pacer, the database, which (shard, epoch) pairs are fenced off, and the
/// wamids of recent sends (so a status that overtakes the database write of
/// its wamid still finds our id). Thread-safe.
class cloud_context {
public:
  cloud_context(cloud_settings settings, std::string db_uri);

  const cloud_settings& settings() const {
    return settings_;
  }
  cloud_token& token() {
    return token_;
  }
  cloud_pacer& pacer() {
    return pacer_;
  }
  db_pool& db() {
    return db_;
  }
  cloud_counters& counters() {
    return counters_;
  }

  /// Marks every epoch up to `epoch` of `shard` as fenced off.
  void fence(int32_t shard, int64_t epoch);

  /// Whether work of `shard` at `epoch` must stop.
  bool fenced(int32_t shard, int64_t epoch);

  /// Remembers a send the Cloud API took (bounded, oldest forgotten).
  void remember(const std::string& wamid, cloud_sent sent);

  /// A recent send by wamid.
  std::optional<cloud_sent> recall(const std::string& wamid);

private:
  cloud_settings settings_;
  cloud_token token_;
  cloud_pacer pacer_;
  db_pool db_;
  cloud_counters counters_;
  std::mutex mtx_;
  /// Highest fenced epoch per shard.
  std::map<int32_t, int64_t> fenced_;
  std::map<std::string, cloud_sent> recent_;
  std::deque<std::string> recent_order_;
};

} // namespace mc
