#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <utility>

#include "http/latency_histogram.hpp"
#include "http/metrics_format.hpp"

namespace httplib {
class Server;
} // namespace httplib

namespace mc::http {

/// The webapp's own figures for /metrics, named as the On-Prem webapp
/// names them (https://developers.secure.facebook.com/docs/whatsapp/on-premises/reference/metrics):
/// web_uptime, web_requests (requests in progress) and
/// api_requests_duration_ms by method ("POST_v1_messages") and result (the
/// HTTP status), as a histogram with buckets, _sum and _count.
class request_metrics {
public:
  request_metrics();

  /// Records every request of `srv` once its response is written
  /// (httplib's logger hook). The start is noted by `started()`, which the
  /// server's pre-routing step must call: httplib keeps one pre-routing
  /// handler, and the server owns it (http/tuned_server.hpp).
  void install(httplib::Server& srv);

  /// Notes that a request starts on this thread (its route comes next).
  void started();

  /// Records one finished request.
  void record(const std::string& method, const std::string& path, int status,
              std::chrono::microseconds took);

  /// The families, for JSON or Prometheus rendering.
  metric_families families() const;

  /// The On-Prem method label: "GET /v1/stats/app" -> "GET_v1_stats_app".
  static std::string method_label(const std::string& method,
                                  const std::string& path);

private:
  /// Distinct (method, result) series at most; the rest count as
  /// "other" so that scanning random paths cannot grow memory.
  static constexpr size_t max_series = 256;

  latency_histogram& series(const std::string& method, int status);

  std::chrono::steady_clock::time_point started_;
  std::atomic<int64_t> in_flight_{0};
  /// Looked up under a shared lock; a new series takes the lock
  /// exclusively once. Histograms never move (unique_ptr).
  mutable std::shared_mutex mtx_;
  std::map<std::pair<std::string, int>, std::unique_ptr<latency_histogram>>
    series_;
};

} // namespace mc::http
