#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <pqxx/connection>

namespace mc {

/// One PostgreSQL connection of an actor that owns it alone (a writer, the
/// lease keeper, the supervisor's store): opened on first use, reopened
/// after it broke or after `reset()`.
///
/// `setup` runs once on every new connection; the writers use it to bound
/// idle transactions (see db_writer). Opening fails fast (2 s connect
/// timeout), and so does a statement on a link cut meanwhile
/// (with_network_timeouts): an unreachable database is an error, not a
/// hang.
class db_connection {
public:
  db_connection() = default;
  explicit db_connection(std::string uri, std::string setup = {});
  ~db_connection();

  db_connection(db_connection&&) noexcept;
  db_connection& operator=(db_connection&&) noexcept;

  /// The open connection; throws what opening it throws, and for a second
  /// after a failed open throws pqxx::broken_connection without trying.
  pqxx::connection& get();

  /// Drops the connection: the next `get()` opens a fresh one. Called after
  /// any failure, since a failed statement may leave it unusable.
  void reset();

  const std::string& uri() const { return uri_; }

private:
  std::string uri_;
  std::string setup_;
  std::unique_ptr<pqxx::connection> conn_;
  std::chrono::steady_clock::time_point reopen_at_{};
};

} // namespace mc
