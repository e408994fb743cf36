#include "support/fault_load.hpp"

#include <algorithm>
#include <cstdio>
#include <random>
#include <set>
#include <sstream>
#include <unordered_set>

#include <httplib.h>
#include <rapidjson/document.h>

#include "support/processes.hpp"

namespace mc::test {

namespace {

using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t)
    .count();
}

std::string seven_digits(size_t n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%07zu", n % 10000000);
  return buf;
}

/// The simulator's log: ids accepted and the epochs of each shard in
/// acceptance order.
struct sim_log {
  std::unordered_set<std::string> ids;
  size_t fencing_violations = 0;
};

sim_log read_sim_log(uint16_t sim_port) {
  sim_log out;
  httplib::Client cli{"127.0.0.1", sim_port};
  cli.set_read_timeout(std::chrono::seconds{20});
  auto res = cli.Get("/log?from=0&limit=1000000");
  if (!res || res->status != 200)
    return out;
  std::map<std::string, long> newest_epoch;
  std::istringstream in{res->body};
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields{line};
    std::string seq, id, recipient, shard, epoch;
    if (!std::getline(fields, seq, '\t') || !std::getline(fields, id, '\t')
        || !std::getline(fields, recipient, '\t')
        || !std::getline(fields, shard, '\t')
        || !std::getline(fields, epoch, '\t'))
      continue;
    out.ids.insert(id);
    auto e = std::stol(epoch);
    auto& newest = newest_epoch[shard];
    if (e < newest)
      ++out.fencing_violations;
    newest = std::max(newest, e);
  }
  return out;
}

int64_t sim_resubmits(uint16_t sim_port) {
  httplib::Client cli{"127.0.0.1", sim_port};
  auto res = cli.Get("/stats");
  if (!res || res->status != 200)
    return -1;
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  if (!doc.IsObject() || !doc.HasMember("duplicates"))
    return -1;
  return doc["duplicates"].GetInt64();
}

} // namespace

size_t load_report::refused_total() const {
  size_t n = 0;
  for (auto& [status, count] : refused)
    n += count;
  return n;
}

double load_report::duplicate_ratio() const {
  return webhook_events == 0 ? 0.0
                             : static_cast<double>(webhook_duplicates)
                                 / static_cast<double>(webhook_events);
}

std::string load_report::summary() const {
  std::ostringstream out;
  out << "sends: " << attempted << " attempted, " << accepted
      << " accepted (201), " << refused_total() << " refused [";
  bool first = true;
  for (auto& [status, count] : refused) {
    out << (first ? "" : " ") << (status == 0 ? "no-answer" : "")
        << (status == 0 ? "" : std::to_string(status)) << ":" << count;
    first = false;
  }
  out << "], lost " << sends_lost << ", upstream resubmits " << sim_resubmits
      << ", fencing violations " << fencing_violations
      << "; statuses: " << statuses_expected << " expected, lost "
      << statuses_lost << "; inbound: " << inbound_injected
      << " injected, lost " << inbound_lost << "; webhook duplicates "
      << webhook_duplicates << " of " << webhook_events << " events";
  char ratio[32];
  std::snprintf(ratio, sizeof ratio, " (%.3f%%)", 100 * duplicate_ratio());
  out << ratio;
  std::snprintf(ratio, sizeof ratio, "%.0f", max_latency_ms);
  out << "; longest request " << ratio << " ms";
  std::snprintf(ratio, sizeof ratio, "%.0f", longest_stall_ms);
  out << ", longest stall " << ratio << " ms";
  return out.str();
}

fault_load::fault_load(load_plan plan, webhook_counter& hook)
  : plan_(std::move(plan)), hook_(hook) {
  std::random_device rd;
  run_id_ = std::to_string(rd() % 1000000);
}

fault_load::~fault_load() {
  join();
}

void fault_load::start() {
  start_ = clock_type::now();
  running_ = plan_.threads;
  for (int t = 0; t < plan_.threads; ++t)
    threads_.emplace_back([this, t] {
      send_loop(t);
      --running_;
    });
  if (plan_.inbound_rate > 0)
    threads_.emplace_back([this] { inbound_loop(); });
}

void fault_load::join() {
  if (joined_)
    return;
  joined_ = true;
  auto cutoff = start_ + plan_.duration + std::chrono::seconds{20};
  while (running_.load() > 0 && clock_type::now() < cutoff)
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  {
    std::lock_guard<std::mutex> guard{mtx_};
    for (auto* cli : clients_)
      cli->stop();
  }
  for (auto& t : threads_)
    t.join();
}

void fault_load::send_loop(int thread_index) {
  httplib::Client cli{plan_.api[thread_index % plan_.api.size()]};
  if (!plan_.ca_file.empty())
    cli.set_ca_cert_path(plan_.ca_file.c_str());
  cli.set_connection_timeout(std::chrono::seconds{2});
  cli.set_read_timeout(std::chrono::seconds{15});
  cli.set_keep_alive(true);
  {
    std::lock_guard<std::mutex> guard{mtx_};
    clients_.push_back(&cli);
  }
  httplib::Headers auth{{"Authorization", "Bearer " + plan_.token}};
  auto period = std::chrono::duration<double>(1.0 / plan_.rate);
  auto last_ok = clock_type::now();
  double stall = 0;
  for (;;) {
    auto k = next_++;
    auto due = start_
               + std::chrono::duration_cast<clock_type::duration>(period * k);
    if (due - start_ >= plan_.duration)
      break;
    std::this_thread::sleep_until(due);
    auto body = R"({"to":"1555)" + seven_digits(k % plan_.recipients)
                + R"(","type":"text","text":{"body":"f)" + run_id_ + "-"
                + std::to_string(k) + R"("}})";
    auto t0 = clock_type::now();
    auto res = cli.Post("/v1/messages", auth, body, "application/json");
    auto took = ms_since(t0);
    std::string id;
    if (res && res->status == 201) {
      rapidjson::Document doc;
      doc.Parse(res->body.c_str());
      if (doc.IsObject() && doc.HasMember("messages"))
        id = doc["messages"][0]["id"].GetString();
    }
    std::lock_guard<std::mutex> guard{mtx_};
    max_latency_ms_ = std::max(max_latency_ms_, took);
    if (id.empty()) {
      ++refused_[res ? res->status : 0];
      if (joined_)
        break; // cut off by join()
      continue;
    }
    stall = std::max(stall, ms_since(last_ok));
    last_ok = clock_type::now();
    longest_stall_ms_ = std::max(longest_stall_ms_, stall);
    ids_.push_back(id);
    ++accepted_;
  }
  std::lock_guard<std::mutex> guard{mtx_};
  clients_.erase(std::find(clients_.begin(), clients_.end(), &cli));
}

std::string fault_load::inbound_from(size_t n) const {
  return "1555" + seven_digits(n % static_cast<size_t>(plan_.recipients));
}

std::string fault_load::inbound_body(size_t n) const {
  return "in-" + run_id_ + "-" + std::to_string(n);
}

void fault_load::inbound_loop() {
  httplib::Client sim{"127.0.0.1", plan_.sim_port};
  auto period = std::chrono::duration<double>(1.0 / plan_.inbound_rate);
  for (size_t n = 0;; ++n) {
    auto due = start_
               + std::chrono::duration_cast<clock_type::duration>(period * n);
    if (due - start_ >= plan_.duration)
      break;
    std::this_thread::sleep_until(due);
    auto res = sim.Post("/inbound",
                        R"({"account":"default","from":")" + inbound_from(n)
                          + R"(","id":"fin-)" + run_id_ + "-"
                          + std::to_string(n) + R"(","body":")"
                          + inbound_body(n) + R"("})",
                        "application/json");
    // The simulator is the upstream: it takes every message; one it did not
    // take is not expected at the webhook.
    if (res && res->status == 200)
      ++injected_;
  }
}

load_report fault_load::count(std::chrono::milliseconds settle) {
  join();
  load_report r;
  std::vector<std::string> ids;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    ids = ids_;
    r.refused = refused_;
    r.max_latency_ms = max_latency_ms_;
    r.longest_stall_ms = longest_stall_ms_;
  }
  r.accepted = ids.size();
  r.attempted = r.accepted + r.refused_total();
  r.inbound_injected = injected_.load();
  auto missing_statuses = [&] {
    size_t n = 0;
    for (auto& id : ids)
      n += (hook_.has(id + ":delivered") ? 0 : 1)
           + (hook_.has(id + ":read") ? 0 : 1);
    return n;
  };
  auto missing_inbound = [&] {
    size_t n = 0;
    for (size_t i = 0; i < r.inbound_injected; ++i)
      n += hook_.has(inbound_from(i) + ":" + inbound_body(i)) ? 0 : 1;
    return n;
  };
  eventually([&] { return missing_statuses() == 0 && missing_inbound() == 0; },
             settle);
  r.statuses_expected = 2 * ids.size();
  r.statuses_lost = missing_statuses();
  r.inbound_lost = missing_inbound();
  auto log = read_sim_log(plan_.sim_port);
  for (auto& id : ids)
    r.sends_lost += log.ids.count(id) ? 0 : 1;
  r.fencing_violations = log.fencing_violations;
  r.sim_resubmits = sim_resubmits(plan_.sim_port);
  r.webhook_duplicates = hook_.duplicates();
  r.webhook_events = hook_.events();
  return r;
}

} // namespace mc::test
