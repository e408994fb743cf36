#include "runtime/db_pool.hpp"

namespace mc {

namespace {

/// Data sent and not acknowledged for this long ends the connection: a
/// link cut mid-statement. Far below a shard's wait for a commit's outcome
/// (timeouts::commit_outcome), which it answers; a slow statement does not
/// count, since the server's kernel acknowledges what it received.
constexpr int tcp_user_timeout_ms = 3000;

/// An idle wait (the statement was received, its answer never comes) is
/// probed after 2 s, twice, 1 s apart.
constexpr const char* keepalives
  = "keepalives=1&keepalives_idle=2&keepalives_interval=1&keepalives_count=2";

} // namespace

std::string with_network_timeouts(const std::string& uri,
                                  int connect_seconds) {
  auto out = uri;
  auto add = [&out](const std::string& name, const std::string& params) {
    if (out.find(name) != std::string::npos)
      return;
    out += out.find('?') == std::string::npos ? "?" : "&";
    out += params;
  };
  add("connect_timeout",
      "connect_timeout=" + std::to_string(connect_seconds));
  add("tcp_user_timeout",
      "tcp_user_timeout=" + std::to_string(tcp_user_timeout_ms));
  add("keepalives", keepalives);
  return out;
}

db_pool::db_pool(std::string uri, int size)
  : uri_(with_network_timeouts(uri, 3)), available_(size) {
}

std::unique_ptr<pqxx::connection> db_pool::acquire() {
  std::unique_ptr<pqxx::connection> conn;
  {
    std::unique_lock<std::mutex> guard{mtx_};
    cv_.wait(guard, [this] { return available_ > 0; });
    --available_;
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (conn && conn->is_open())
    return conn;
  try {
    return std::make_unique<pqxx::connection>(uri_);
  } catch (...) {
    std::lock_guard<std::mutex> guard{mtx_};
    ++available_;
    cv_.notify_one();
    throw;
  }
}

void db_pool::release(std::unique_ptr<pqxx::connection> conn) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (conn && conn->is_open())
    idle_.push_back(std::move(conn));
  ++available_;
  cv_.notify_one();
}

std::string check_database(const std::string& uri) {
  try {
    pqxx::connection c{with_network_timeouts(uri, 3)};
    return {};
  } catch (const std::exception& e) {
    std::string msg = e.what();
    for (auto& ch : msg)
      if (ch == '\n')
        ch = ' ';
    while (!msg.empty() && msg.back() == ' ')
      msg.pop_back();
    return msg;
  }
}

} // namespace mc
