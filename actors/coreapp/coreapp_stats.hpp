#pragma once

#include <atomic>
#include <cstdint>

#include "actors/protocol/stats.hpp"

namespace mc {

/// The in-memory counters of one coreapp node, the figures of
/// GET /v1/stats/app (https://developers.facebook.com/docs/whatsapp/api/stats/).
/// Written by the node's shards and webhook dispatcher, read by the node
/// when a webapp asks (actors/protocol/stats.hpp). Relaxed atomics: every
/// figure is a counter read on its own, nothing is derived from two.
class coreapp_stats {
public:
  /// The kinds of callback a webhook POST carries (the On-Prem label
  /// `type` of callback_requests).
  enum class callback_type { status_change, inbound_message };

  /// Counts `rows` messages committed by a shard's group commit.
  void committed(int64_t rows) {
    committed_.fetch_add(rows, std::memory_order_relaxed);
  }

  /// Counts `n` messages the upstream acknowledged.
  void acked(int64_t n) {
    acked_.fetch_add(n, std::memory_order_relaxed);
  }

  /// Counts `n` callbacks of `type` posted to the webhook, delivered or not.
  void callback_posted(callback_type type, bool delivered, int64_t n) {
    auto i = static_cast<size_t>(type) * 2 + (delivered ? 0 : 1);
    callbacks_[i].fetch_add(n, std::memory_order_relaxed);
  }

  /// Counts `n` numbers asked about upstream (POST /v1/contacts).
  void contacts_checked(int64_t n) {
    contacts_.fetch_add(n, std::memory_order_relaxed);
  }

  /// The counters as samples, plus the shard count the node serves.
  stat_samples snapshot(int64_t shards_served) const;

private:
  std::atomic<int64_t> committed_{0};
  std::atomic<int64_t> acked_{0};
  std::atomic<int64_t> contacts_{0};
  /// [type * 2 + (delivered ? 0 : 1)].
  std::atomic<int64_t> callbacks_[4] = {};
};

} // namespace mc
