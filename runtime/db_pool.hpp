#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace mc {

/// Adds network timeouts to a PostgreSQL URI (those it does not set
/// itself): a connect timeout of `connect_seconds`, so that an unreachable
/// database fails fast, and bounds on a connection whose peer went silent
/// (TCP user timeout and keepalives), so that a statement sent into a cut
/// link fails in seconds instead of blocking its thread until the kernel's
/// retransmissions give up (minutes) or, after the link heals, running
/// late behind every wait that covered it.
std::string with_network_timeouts(const std::string& uri,
                                  int connect_seconds);

/// A small fixed pool of PostgreSQL connections shared by a node's threads.
///
/// Connections are opened lazily and reopened after they break, so a node
/// survives a database restart. The pool never grows beyond its size: the
/// cluster's connection count stays small and fixed per node.
class db_pool {
public:
  db_pool(std::string uri, int size);

  /// Runs `fn` with a borrowed connection; rethrows what `fn` throws after
  /// dropping the connection if it broke.
  template <class F>
  auto with(F&& fn) {
    auto conn = acquire();
    struct releaser {
      db_pool* pool;
      std::unique_ptr<pqxx::connection>* conn;
      ~releaser() { pool->release(std::move(*conn)); }
    } guard{this, &conn};
    try {
      return fn(*conn);
    } catch (const pqxx::broken_connection&) {
      conn.reset();
      throw;
    }
  }

  const std::string& uri() const { return uri_; }

private:
  std::unique_ptr<pqxx::connection> acquire();
  void release(std::unique_ptr<pqxx::connection> conn);

  std::string uri_;
  std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int available_;
};

/// Opens one connection to check that the database is reachable; returns an
/// empty string on success or a one-line reason.
std::string check_database(const std::string& uri);

} // namespace mc
