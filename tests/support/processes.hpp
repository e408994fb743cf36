#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace mc::test {

/// A free TCP port on 127.0.0.1 (bound once and released).
uint16_t free_port();

/// Path of the multiconnect binary under test.
std::string multiconnect_binary();

/// A child process, killed (SIGKILL) and reaped on destruction so a test
/// never leaves a process behind.
class child_process {
public:
  /// Starts `argv[0]` with `argv`; stdout and stderr go to `log_path`
  /// (appended to with `append`, else truncated).
  child_process(std::vector<std::string> argv, const std::string& log_path,
                bool append = false);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return pid_; }

  /// Sends `sig` to the process.
  void signal(int sig);

  /// Waits up to `timeout` for the process to exit; true if it did.
  bool wait_exit(std::chrono::milliseconds timeout);

  /// True while the process has not exited.
  bool running();

  /// Exit status as returned by waitpid, valid after the process exited.
  int status() const { return status_; }

  /// The log written so far.
  std::string log() const;

private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string log_path_;
};

/// Polls `pred` every 10 ms until it returns true or `timeout` passes.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (pred())
      return true;
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    struct timespec ts{0, 10 * 1000 * 1000};
    nanosleep(&ts, nullptr);
  }
}

} // namespace mc::test
