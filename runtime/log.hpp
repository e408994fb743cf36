#pragma once

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <sstream>
#include <string>

namespace mc {

namespace detail {

inline std::mutex& log_mutex() {
  static std::mutex m;
  return m;
}

template <class... Ts>
void log_line(const char* level, const std::string& who, const Ts&... xs) {
  std::ostringstream os;
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
              now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
  os << stamp << '.' << (ms < 100 ? (ms < 10 ? "00" : "0") : "") << ms
     << "Z " << level << ' ' << who << ": ";
  (os << ... << xs);
  os << '\n';
  std::lock_guard<std::mutex> guard{log_mutex()};
  std::fputs(os.str().c_str(), stderr);
}

} // namespace detail

/// Logs one line to stderr: UTC timestamp, level, who, message.
template <class... Ts>
void log_info(const std::string& who, const Ts&... xs) {
  detail::log_line("INFO", who, xs...);
}

template <class... Ts>
void log_error(const std::string& who, const Ts&... xs) {
  detail::log_line("ERROR", who, xs...);
}

} // namespace mc
