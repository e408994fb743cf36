#include "http/request_metrics.hpp"

#include <mutex>

#include <httplib.h>

namespace mc::http {

namespace {

/// When the request on this thread started: httplib runs a request's
/// pre-routing handler, route and logger on one thread, one after another.
thread_local std::chrono::steady_clock::time_point request_started;
/// Whether the pre-routing handler ran for the request being logged: a
/// request httplib refuses before routing (malformed, too large) is logged
/// without it, and must neither use a stale start nor lower in_flight_.
thread_local bool request_timed = false;

} // namespace

request_metrics::request_metrics()
  : started_(std::chrono::steady_clock::now()) {
}

void request_metrics::started() {
  request_started = std::chrono::steady_clock::now();
  request_timed = true;
  in_flight_.fetch_add(1, std::memory_order_relaxed);
}

void request_metrics::install(httplib::Server& srv) {
  srv.set_logger([this](const httplib::Request& req,
                        const httplib::Response& res) {
    std::chrono::microseconds took{0};
    if (request_timed) {
      took = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - request_started);
      in_flight_.fetch_sub(1, std::memory_order_relaxed);
      request_timed = false;
    }
    record(req.method, req.path, res.status, took);
  });
}

std::string request_metrics::method_label(const std::string& method,
                                          const std::string& path) {
  std::string out = method;
  for (char c : path) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                 || (c >= '0' && c <= '9');
    if (plain)
      out += c;
    else if (out.back() != '_')
      out += '_';
  }
  while (out.size() > method.size() && out.back() == '_')
    out.pop_back();
  return out;
}

latency_histogram& request_metrics::series(const std::string& method,
                                           int status) {
  std::pair<std::string, int> key{method, status};
  {
    std::shared_lock<std::shared_mutex> read{mtx_};
    auto i = series_.find(key);
    if (i != series_.end())
      return *i->second;
  }
  std::unique_lock<std::shared_mutex> write{mtx_};
  if (series_.size() >= max_series && series_.count(key) == 0)
    key = {"other", status};
  auto& slot = series_[key];
  if (!slot)
    slot = std::make_unique<latency_histogram>();
  return *slot;
}

void request_metrics::record(const std::string& method,
                             const std::string& path, int status,
                             std::chrono::microseconds took) {
  series(method_label(method, path), status).record(took);
}

metric_families request_metrics::families() const {
  metric_families out;
  auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
    std::chrono::steady_clock::now() - started_);
  out.push_back({"web_uptime", "gauge",
                 "Number of seconds since web server has started",
                 {{{}, static_cast<double>(uptime.count())}}});
  out.push_back({"web_requests", "gauge", "Number of ongoing requests",
                 {{{{"state", "handle-request"}},
                   static_cast<double>(
                     in_flight_.load(std::memory_order_relaxed))}}});
  metric_family h{"api_requests_duration_ms", "histogram",
                  "Durations of API requests in milliseconds", {}};
  std::shared_lock<std::shared_mutex> read{mtx_};
  for (auto& [key, hist] : series_) {
    auto result = std::to_string(key.second);
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= latency_histogram::bounds_ms.size(); ++i) {
      cumulative += hist->bucket(i);
      std::string le = i < latency_histogram::bounds_ms.size()
                         ? std::to_string(static_cast<int64_t>(
                           latency_histogram::bounds_ms[i]))
                         : "+Inf";
      h.samples.push_back({{{"__suffix", "_bucket"},
                            {"method", key.first},
                            {"result", result},
                            {"le", le}},
                           static_cast<double>(cumulative)});
    }
    h.samples.push_back({{{"__suffix", "_sum"},
                          {"method", key.first},
                          {"result", result}},
                         hist->sum_ms()});
    h.samples.push_back({{{"__suffix", "_count"},
                          {"method", key.first},
                          {"result", result}},
                         static_cast<double>(hist->count())});
  }
  out.push_back(std::move(h));
  return out;
}

} // namespace mc::http
