#include "runtime/store/db_connection.hpp"

#include <pqxx/pqxx>

#include "runtime/db_pool.hpp"

namespace mc {

namespace {

constexpr int connect_timeout_s = 2;

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
    auto c = std::make_unique<pqxx::connection>(
      with_connect_timeout(uri_, connect_timeout_s));
    if (!setup_.empty()) {
      pqxx::nontransaction tx{*c};
      tx.exec(setup_);
    }
    conn_ = std::move(c);
  }
  return *conn_;
}

void db_connection::reset() {
  conn_.reset();
}

} // namespace mc
