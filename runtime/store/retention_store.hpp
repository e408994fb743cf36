#pragma once

/// Bounds of the high-rate tables: the callback queue's cap and expiry,
/// the dedup window of posted callbacks' keys and the messages table's
/// retention (schema/009_bounds.sql, 015_callback_posted.sql). Each delete is
/// one batch, so a pruning pass never holds long locks; partitioning by
/// time is the next step.

#include <cstdint>

#include <pqxx/connection>

namespace mc {

/// Callback rows queued, counted up to `cap` (at most `cap` rows are read).
int64_t callback_queue_depth(pqxx::connection& conn, int64_t cap);

/// Deletes up to `batch` callbacks created more than `max_age_s` seconds
/// ago; returns how many.
int64_t expire_callbacks(pqxx::connection& conn, int64_t max_age_s,
                         int64_t batch);

/// Deletes up to `batch` keys of callbacks posted more than `window_s`
/// seconds ago (schema/015): an event pushed again after that would be
/// posted again. Returns how many.
int64_t prune_posted_keys(pqxx::connection& conn, int64_t window_s,
                          int64_t batch);

/// Deletes up to `batch` messages the upstream acknowledged (status other
/// than 'accepted') accepted more than `retention_s` seconds ago; returns
/// how many. Pending messages are never pruned.
int64_t prune_messages(pqxx::connection& conn, int64_t retention_s,
                       int64_t batch);

} // namespace mc
