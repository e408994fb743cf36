#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <pqxx/pqxx>

namespace mc {

/// The lease row as read from the database.
struct lease_state {
  std::string holder; ///< empty when nobody ever held it
  int64_t epoch = 0;
  /// Milliseconds until expiry by the database clock (negative: expired).
  int64_t remaining_ms = 0;
  /// Whether the lease is live by mc_lease_live (schema/003_rules.sql).
  bool live = false;
};

/// Takes the lease for `node_id` if it is free or expired, by compare-and-set
/// in one statement; the epoch goes up by one on every change of holder.
/// Returns the new epoch, or nullopt when someone else holds a live lease.
std::optional<int64_t> try_acquire_lease(pqxx::connection& conn,
                                         const std::string& node_id,
                                         int ttl_ms);

/// Extends the lease if `node_id` still holds it with `epoch`. False means
/// the lease was lost: the caller must stop acting as primary at once.
bool renew_lease(pqxx::connection& conn, const std::string& node_id,
                 int64_t epoch, int ttl_ms);

/// Gives the lease up (clean shutdown), so a secondary takes over at once.
void release_lease(pqxx::connection& conn, const std::string& node_id,
                   int64_t epoch);

/// Reads the lease row.
lease_state read_lease(pqxx::connection& conn);

} // namespace mc
