#pragma once

/// A webhook receiver on loopback (or on `host`, e.g. the root side of a
/// test's bridge) for end-to-end tests: records every status ("id:status")
/// and inbound message ("message:id" for every type, and "from:body" for
/// text) it is posted, and counts how often each was posted (duplicates
/// are at least once's; a text posted twice counts once).

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <httplib.h>
#include <rapidjson/document.h>

namespace mc::test {

class webhook_counter {
public:
  explicit webhook_counter(const std::string& host = "127.0.0.1")
    : host_(host) {
    srv_.Post("/hook", [this](const httplib::Request& req,
                              httplib::Response& res) {
      record(req.body);
      res.status = 200;
    });
    port_ = srv_.bind_to_any_port(host_.c_str());
    thread_ = std::thread{[this] { srv_.listen_after_bind(); }};
    while (!srv_.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds{1});
  }

  ~webhook_counter() {
    srv_.stop();
    thread_.join();
  }

  int port() const { return port_; }

  std::string url() const {
    return "http://" + host_ + ":" + std::to_string(port_) + "/hook";
  }

  /// True once `event` ("id:status") was posted at least once.
  bool has(const std::string& event) {
    std::lock_guard<std::mutex> guard{mtx_};
    return seen_.count(event) > 0;
  }

  /// Distinct events posted.
  size_t events() {
    std::lock_guard<std::mutex> guard{mtx_};
    return seen_.size();
  }

  /// How many distinct events start with `prefix`.
  size_t count_prefix(const std::string& prefix) {
    std::lock_guard<std::mutex> guard{mtx_};
    size_t n = 0;
    for (auto i = seen_.lower_bound(prefix);
         i != seen_.end() && i->first.compare(0, prefix.size(), prefix) == 0;
         ++i)
      ++n;
    return n;
  }

  /// Extra posts of events posted more than once (an inbound text counts
  /// by its "message:id" only, not again by its "from:body").
  size_t duplicates() {
    std::lock_guard<std::mutex> guard{mtx_};
    size_t n = 0;
    for (auto& [e, count] : seen_)
      if (!text_keys_.count(e))
        n += count > 1 ? count - 1 : 0;
    return n;
  }

private:
  void record(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.c_str());
    if (!doc.IsObject())
      return;
    std::lock_guard<std::mutex> guard{mtx_};
    if (doc.HasMember("statuses") && doc["statuses"].IsArray())
      for (auto& s : doc["statuses"].GetArray())
        ++seen_[std::string{s["id"].GetString()} + ":"
                + s["status"].GetString()];
    if (doc.HasMember("messages") && doc["messages"].IsArray())
      for (auto& m : doc["messages"].GetArray()) {
        if (m.HasMember("id") && m["id"].IsString())
          ++seen_[std::string{"message:"} + m["id"].GetString()];
        if (m.HasMember("text") && m["text"].IsObject()) {
          auto key = std::string{m["from"].GetString()} + ":"
                     + m["text"]["body"].GetString();
          ++seen_[key];
          text_keys_.insert(key);
        }
      }
  }

  std::string host_;
  httplib::Server srv_;
  std::thread thread_;
  std::mutex mtx_;
  int port_ = 0;
  std::map<std::string, size_t> seen_;
  std::set<std::string> text_keys_;
};

} // namespace mc::test
