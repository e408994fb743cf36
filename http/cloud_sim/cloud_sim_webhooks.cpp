#include "http/cloud_sim/cloud_sim_webhooks.hpp"

#include <algorithm>
#include <cctype>
#include <random>

#include <httplib.h>


namespace mc {

namespace {

constexpr size_t attempts_kept = 200;
constexpr int max_backoff_ms = 10000;

/// Splits "https://host:port/path?q" into "https://host:port" and "/path?q".
std::pair<std::string, std::string> split_url(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos)
    return {url, "/"};
  auto path_at = url.find('/', scheme_end + 3);
  if (path_at == std::string::npos)
    return {url, "/"};
  return {url.substr(0, path_at), url.substr(path_at)};
}

std::unique_ptr<httplib::Client> make_client(const std::string& base,
                                             const std::string& ca) {
  auto cli = std::make_unique<httplib::Client>(base);
  cli->set_connection_timeout(2, 0);
  cli->set_read_timeout(5, 0);
  cli->set_write_timeout(5, 0);
  cli->set_keep_alive(true);
  if (!ca.empty()) {
    cli->set_ca_cert_path(ca.c_str());
    cli->enable_server_certificate_verification(true);
  }
  return cli;
}

/// `text` as a query value: unreserved characters kept, the rest %XX.
std::string percent_encode(const std::string& text) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

} // namespace

cloud_sim_webhooks::cloud_sim_webhooks(const cloud_sim_config& cfg,
                                       std::shared_ptr<cloud_sim_faults> faults)
  : cfg_(cfg), faults_(std::move(faults)), envelope_(cfg) {
  auto [base, path] = split_url(cfg_.webhook_url);
  scheme_host_port_ = base;
  path_ = path;
}

cloud_sim_webhooks::~cloud_sim_webhooks() {
  stop();
}

void cloud_sim_webhooks::start() {
  std::lock_guard<std::mutex> guard{mtx_};
  if (running_)
    return;
  running_ = true;
  thread_ = std::thread{[this] { run(); }};
}

void cloud_sim_webhooks::stop() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    running_ = false;
  }
  cv_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

bool cloud_sim_webhooks::submit(std::vector<cloud_timed_event> events) {
  auto now = clock::now();
  {
    std::lock_guard<std::mutex> guard{mtx_};
    auto waiting = scheduled_.size() + queue_.size() + flight_events_;
    if (waiting + events.size() > cfg_.webhook_queue_cap) {
      counts_.refused += events.size();
      return false;
    }
    counts_.submitted += events.size();
    for (auto& [e, delay_ms] : events)
      scheduled_.emplace(now + std::chrono::milliseconds{delay_ms},
                         std::move(e));
  }
  cv_.notify_all();
  return true;
}

void cloud_sim_webhooks::promote_locked(clock::time_point now) {
  while (!scheduled_.empty() && scheduled_.begin()->first <= now) {
    if (cfg_.webhook_url.empty())
      ++counts_.discarded_events;
    else
      queue_.push_back(std::move(scheduled_.begin()->second));
    scheduled_.erase(scheduled_.begin());
  }
}

void cloud_sim_webhooks::take_batch_locked() {
  std::vector<cloud_webhook_event> batch;
  auto kind = queue_.front().is_message;
  auto most = static_cast<size_t>(std::max(1, cfg_.webhook_batch));
  while (!queue_.empty() && batch.size() < most
         && queue_.front().is_message == kind) {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  flight_body_ = envelope_.body(batch);
  flight_events_ = batch.size();
  flight_attempt_ = 0;
  flight_batch_ = ++seq_;
  next_try_ = clock::now();
}

void cloud_sim_webhooks::run() {
  std::unique_ptr<httplib::Client> cli;
  std::unique_lock<std::mutex> lock{mtx_};
  while (running_) {
    auto now = clock::now();
    promote_locked(now);
    auto paused = faults_->webhook_mode() == cloud_webhook_mode::pause;
    if (flight_events_ == 0 && !queue_.empty() && !paused)
      take_batch_locked();
    if (flight_events_ == 0 || paused || next_try_ > now) {
      auto until = now + std::chrono::milliseconds{paused ? 20 : 500};
      if (!scheduled_.empty())
        until = std::min(until, scheduled_.begin()->first);
      if (flight_events_ > 0 && !paused)
        until = std::min(until, next_try_);
      cv_.wait_until(lock, until);
      continue;
    }
    auto body = flight_body_;
    auto batch = flight_batch_;
    lock.unlock();
    if (!cli)
      cli = make_client(scheme_host_port_, cfg_.webhook_ca);
    httplib::Headers headers{
      {"X-Hub-Signature-256", cloud_webhook_envelope::signature(cfg_.app_secret, body)}};
    auto res = cli->Post(path_.c_str(), headers, body, "application/json");
    int status = res ? res->status : 0;
    std::string error = res ? "" : httplib::to_string(res.error());
    if (!res)
      cli.reset(); // reconnect next time
    lock.lock();
    if (batch != flight_batch_ || flight_events_ == 0)
      continue; // reset meanwhile
    auto refused = faults_->webhook_mode() == cloud_webhook_mode::refuse;
    bool ok = status == 200 && !refused;
    if (refused && error.empty())
      error = "refused by fault";
    ++flight_attempt_;
    record_attempt_locked(status, ok, error);
    if (ok) {
      ++counts_.delivered_posts;
      counts_.delivered_events += flight_events_;
      flight_events_ = 0;
    } else if (flight_attempt_ >= std::max(1, cfg_.webhook_retries)) {
      counts_.dropped_events += flight_events_;
      flight_events_ = 0;
    } else {
      auto shift = std::min(flight_attempt_ - 1, 16);
      auto ms = std::min<int64_t>(int64_t{cfg_.webhook_backoff_ms} << shift,
                                  max_backoff_ms);
      next_try_ = clock::now() + std::chrono::milliseconds{ms};
    }
  }
}

void cloud_sim_webhooks::record_attempt_locked(int status, bool ok,
                                               std::string error) {
  ++counts_.attempts;
  if (!ok)
    ++counts_.failures;
  attempts_.push_back(cloud_webhook_attempt{flight_batch_, flight_attempt_,
                                            status, ok, flight_events_,
                                            std::move(error)});
  while (attempts_.size() > attempts_kept)
    attempts_.pop_front();
}

cloud_webhook_counts cloud_sim_webhooks::counts() {
  std::lock_guard<std::mutex> guard{mtx_};
  auto c = counts_;
  c.pending = scheduled_.size() + queue_.size() + flight_events_;
  return c;
}

std::vector<cloud_webhook_attempt> cloud_sim_webhooks::attempts() {
  std::lock_guard<std::mutex> guard{mtx_};
  return {attempts_.begin(), attempts_.end()};
}

void cloud_sim_webhooks::reset() {
  std::lock_guard<std::mutex> guard{mtx_};
  scheduled_.clear();
  queue_.clear();
  flight_events_ = 0;
  flight_body_.clear();
  ++flight_batch_;
  counts_ = {};
  attempts_.clear();
}

cloud_webhook_verification cloud_sim_webhooks::verify() {
  cloud_webhook_verification v;
  thread_local std::mt19937_64 rng{std::random_device{}()};
  v.challenge = std::to_string(rng() % 1000000000000ULL);
  if (cfg_.webhook_url.empty()) {
    v.error = "no --cloud-sim-webhook";
    return v;
  }
  auto cli = make_client(scheme_host_port_, cfg_.webhook_ca);
  auto path = path_;
  path += path.find('?') == std::string::npos ? '?' : '&';
  path += "hub.mode=subscribe&hub.verify_token="
          + percent_encode(cfg_.verify_token)
          + "&hub.challenge=" + v.challenge;
  auto res = cli->Get(path.c_str());
  if (!res) {
    v.error = httplib::to_string(res.error());
    return v;
  }
  v.status = res->status;
  v.echo = res->body;
  v.ok = v.status == 200 && v.echo == v.challenge;
  return v;
}

} // namespace mc
