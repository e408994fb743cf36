#include "runtime/store/db_connection.hpp"

#include <chrono>

#include <pqxx/pqxx>

#include "runtime/db_pool.hpp"

namespace mc {

namespace {

constexpr int connect_timeout_s = 2;

/// After a failed open, opening is not tried again for this long: the
/// requests queued meanwhile fail at once instead of each waiting out its
/// own connect timeout, so an owner's mailbox does not fill with work that
/// runs late (and commits behind every wait that covered it) once the
/// database is back.
constexpr auto reopen_pause = std::chrono::seconds{1};

} // namespace

db_connection::db_connection(std::string uri, std::string setup)
  : uri_(std::move(uri)), setup_(std::move(setup)) {
}

db_connection::~db_connection() = default;
db_connection::db_connection(db_connection&&) noexcept = default;
db_connection& db_connection::operator=(db_connection&&) noexcept = default;

pqxx::connection& db_connection::get() {
  if (!conn_ || !conn_->is_open()) {
    conn_.reset();
    if (std::chrono::steady_clock::now() < reopen_at_)
      throw pqxx::broken_connection{"database unreachable a moment ago"};
    try {
      auto c = std::make_unique<pqxx::connection>(
        with_network_timeouts(uri_, connect_timeout_s));
      if (!setup_.empty()) {
        pqxx::nontransaction tx{*c};
        tx.exec(setup_);
      }
      conn_ = std::move(c);
    } catch (const pqxx::broken_connection&) {
      reopen_at_ = std::chrono::steady_clock::now() + reopen_pause;
      throw;
    }
  }
  return *conn_;
}

void db_connection::reset() {
  conn_.reset();
}

} // namespace mc
