#include "actors/cloud/cloud_token.hpp"

#include <fstream>
#include <iterator>

#include <sys/stat.h>

namespace mc {

namespace {

/// Seconds between two looks at the file.
constexpr std::time_t recheck = 1;

} // namespace

cloud_token::cloud_token(std::string file) : file_(std::move(file)) {
  // nop
}

void cloud_token::read_locked() {
  auto now = std::time(nullptr);
  if (now - checked_ < recheck && size_ >= 0)
    return;
  checked_ = now;
  struct stat st {};
  if (::stat(file_.c_str(), &st) != 0) {
    token_.clear();
    size_ = -1;
    return;
  }
  if (st.st_mtime == mtime_ && static_cast<long long>(st.st_size) == size_)
    return;
  mtime_ = st.st_mtime;
  size_ = static_cast<long long>(st.st_size);
  std::ifstream in{file_};
  std::string text{std::istreambuf_iterator<char>{in},
                   std::istreambuf_iterator<char>{}};
  // Editors and `echo` leave a trailing newline; a token has no spaces.
  while (!text.empty()
         && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  token_ = std::move(text);
}

std::optional<std::string> cloud_token::current() {
  std::lock_guard<std::mutex> guard{mtx_};
  read_locked();
  if (token_.empty() || token_ == refused_token_)
    return std::nullopt;
  return token_;
}

void cloud_token::refused(const std::string& token) {
  std::lock_guard<std::mutex> guard{mtx_};
  refused_token_ = token;
}

void cloud_token::reload() {
  std::lock_guard<std::mutex> guard{mtx_};
  checked_ = 0;
  mtime_ = 0;
  size_ = -1;
}

std::string cloud_token::status() {
  std::lock_guard<std::mutex> guard{mtx_};
  read_locked();
  if (token_.empty())
    return "token_missing";
  if (token_ == refused_token_)
    return "token_expired";
  return "connected";
}

} // namespace mc
