#include "runtime/db_pool.hpp"

namespace mc {

std::string with_connect_timeout(const std::string& uri, int seconds) {
  if (uri.find("connect_timeout") != std::string::npos)
    return uri;
  auto sep = uri.find('?') == std::string::npos ? "?" : "&";
  return uri + sep + "connect_timeout=" + std::to_string(seconds);
}

db_pool::db_pool(std::string uri, int size)
  : uri_(with_connect_timeout(uri, 3)), available_(size) {
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
    pqxx::connection c{with_connect_timeout(uri, 3)};
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
