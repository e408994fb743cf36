#include "http/cloud_sim/cloud_sim_token.hpp"

#include <fstream>
#include <sys/stat.h>

namespace mc {

cloud_sim_token::cloud_sim_token(std::string path) : path_(std::move(path)) {
  std::lock_guard<std::mutex> guard{mtx_};
  refresh_locked();
}

void cloud_sim_token::refresh_locked() {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) {
    token_.clear();
    mtime_ns_ = -1;
    return;
  }
  auto mtime = int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
  if (mtime == mtime_ns_ && st.st_size == size_)
    return;
  mtime_ns_ = mtime;
  size_ = st.st_size;
  std::ifstream in{path_};
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
    line.pop_back();
  token_ = line;
  // A new token ends the expiry; the same one written again does not.
  if (token_ != expired_)
    expired_.clear();
}

cloud_token_verdict cloud_sim_token::check(const std::string& header) {
  static const std::string prefix = "Bearer ";
  std::lock_guard<std::mutex> guard{mtx_};
  refresh_locked();
  if (header.rfind(prefix, 0) != 0 || token_.empty())
    return cloud_token_verdict::invalid;
  auto given = header.substr(prefix.size());
  if (given != token_)
    return cloud_token_verdict::invalid;
  if (!expired_.empty())
    return cloud_token_verdict::expired;
  return cloud_token_verdict::ok;
}

void cloud_sim_token::expire() {
  std::lock_guard<std::mutex> guard{mtx_};
  refresh_locked();
  expired_ = token_;
}

void cloud_sim_token::restore() {
  std::lock_guard<std::mutex> guard{mtx_};
  expired_.clear();
}

} // namespace mc
