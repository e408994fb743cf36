#include "http/cloud_sim/cloud_sim_faults.hpp"

#include <chrono>
#include <thread>

namespace mc {

void cloud_sim_faults::fail_sends(int count, cloud_graph_error error) {
  std::lock_guard<std::mutex> guard{mtx_};
  fail_count_ = count;
  fail_error_ = std::move(error);
}

std::optional<cloud_graph_error> cloud_sim_faults::take_send_failure() {
  std::lock_guard<std::mutex> guard{mtx_};
  if (fail_count_ <= 0)
    return std::nullopt;
  --fail_count_;
  return fail_error_;
}

int cloud_sim_faults::pending_send_failures() {
  std::lock_guard<std::mutex> guard{mtx_};
  return fail_count_;
}

void cloud_sim_faults::delay() const {
  if (auto ms = latency_ms_.load(); ms > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds{ms});
}

void cloud_sim_faults::reset() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    fail_count_ = 0;
  }
  latency_ms_.store(0);
  webhook_mode_.store(cloud_webhook_mode::normal);
}

} // namespace mc
