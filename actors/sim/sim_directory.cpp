#include "actors/sim/sim_directory.hpp"

namespace mc {

void sim_directory::add_non_users(const std::vector<std::string>& numbers) {
  std::lock_guard<std::mutex> guard{mtx_};
  non_users_.insert(numbers.begin(), numbers.end());
}

void sim_directory::set_non_users(const std::vector<std::string>& numbers) {
  std::lock_guard<std::mutex> guard{mtx_};
  non_users_ = {numbers.begin(), numbers.end()};
}

bool sim_directory::is_non_user(const std::string& number) const {
  std::lock_guard<std::mutex> guard{mtx_};
  return non_users_.count(number) > 0;
}

contact_checks sim_directory::check(const std::vector<std::string>& numbers) {
  checks_.fetch_add(numbers.size(), std::memory_order_relaxed);
  contact_checks out;
  out.reserve(numbers.size());
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& n : numbers) {
    if (non_users_.count(n) > 0)
      out.push_back({n, "invalid", {}});
    else
      out.push_back({n, "valid", n});
  }
  return out;
}

std::vector<std::string> sim_directory::non_users() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return {non_users_.begin(), non_users_.end()};
}

} // namespace mc
