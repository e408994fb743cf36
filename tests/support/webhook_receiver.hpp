#pragma once

/// A webhook receiver on loopback for end-to-end tests: records every body
/// it is posted and answers 200.

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

namespace mc::test {

class webhook_receiver {
public:
  webhook_receiver() {
    srv_.Post("/hook", [this](const httplib::Request& req,
                              httplib::Response& res) {
      std::lock_guard<std::mutex> guard{mtx_};
      bodies_.push_back(req.body);
      res.status = 200;
    });
    port_ = srv_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread{[this] { srv_.listen_after_bind(); }};
    while (!srv_.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds{1});
  }

  ~webhook_receiver() {
    srv_.stop();
    thread_.join();
  }

  webhook_receiver(const webhook_receiver&) = delete;
  webhook_receiver& operator=(const webhook_receiver&) = delete;

  int port() const { return port_; }

  /// The URL to set as webhooks.url.
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/hook";
  }

  /// Every body received so far, in arrival order.
  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> guard{mtx_};
    return bodies_;
  }

private:
  httplib::Server srv_;
  std::thread thread_;
  std::mutex mtx_;
  int port_ = 0;
  std::vector<std::string> bodies_;
};

} // namespace mc::test
