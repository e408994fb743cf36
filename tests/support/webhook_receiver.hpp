#pragma once

/// A webhook receiver on loopback for end-to-end tests: records every body
/// it is posted (and its X-Hub-Signature-256) and answers 200, or the
/// statuses scripted with `refuse_next`. GET /hook answers a webhook
/// verification (hub.challenge) when hub.verify_token is `verify_token`.

#include <chrono>
#include <deque>
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
      if (!script_.empty()) {
        res.status = script_.front();
        script_.pop_front();
        ++refused_;
        return;
      }
      bodies_.push_back(req.body);
      signatures_.push_back(req.get_header_value("X-Hub-Signature-256"));
      res.status = 200;
    });
    srv_.Get("/hook", [this](const httplib::Request& req,
                             httplib::Response& res) {
      std::lock_guard<std::mutex> guard{mtx_};
      if (req.get_param_value("hub.mode") != "subscribe"
          || req.get_param_value("hub.verify_token") != verify_token_) {
        res.status = 403;
        return;
      }
      res.set_content(req.get_param_value("hub.challenge"), "text/plain");
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

  /// Every body received so far (and answered 200), in arrival order.
  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> guard{mtx_};
    return bodies_;
  }

  /// The X-Hub-Signature-256 header of each of `bodies()`.
  std::vector<std::string> signatures() {
    std::lock_guard<std::mutex> guard{mtx_};
    return signatures_;
  }

  /// The next `n` POSTs are answered `status` and not recorded.
  void refuse_next(int n, int status) {
    std::lock_guard<std::mutex> guard{mtx_};
    for (int i = 0; i < n; ++i)
      script_.push_back(status);
  }

  /// POSTs answered by `refuse_next` so far.
  int refused() {
    std::lock_guard<std::mutex> guard{mtx_};
    return refused_;
  }

  /// The hub.verify_token a verification must name.
  void set_verify_token(std::string token) {
    std::lock_guard<std::mutex> guard{mtx_};
    verify_token_ = std::move(token);
  }

private:
  httplib::Server srv_;
  std::thread thread_;
  std::mutex mtx_;
  int port_ = 0;
  std::vector<std::string> bodies_;
  std::vector<std::string> signatures_;
  std::deque<int> script_;
  int refused_ = 0;
  std::string verify_token_;
};

} // namespace mc::test
