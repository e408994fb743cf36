#pragma once

/// A webhook consumer for end-to-end tests that downloads each inbound
/// media through GET /v1/media/{id} from inside its webhook handler, i.e.
/// right after the webhook arrived, as an On-Prem consumer does.

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <httplib.h>
#include <rapidjson/document.h>

#include "runtime/sha256.hpp"

namespace mc::test {

/// What the consumer saw of one inbound media message: the webhook's
/// media fields, and the answer of GET /v1/media/{id} made from inside the
/// webhook handler, i.e. right after the webhook arrived.
struct seen_media {
  std::string type;
  std::string media_id;
  std::string mime_type;
  std::string sha256;
  int get_status = 0;
  std::string got_type;
  std::string got_sha256;
};

/// A webhook consumer that downloads each inbound media as it is told of it.
class downloading_hook {
public:
  downloading_hook(int api_port, std::string token)
    : api_port_(api_port), token_(std::move(token)) {
    srv_.Post("/hook", [this](const httplib::Request& req,
                              httplib::Response& res) {
      on_hook(req.body);
      res.status = 200;
    });
    port_ = srv_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread{[this] { srv_.listen_after_bind(); }};
    while (!srv_.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds{1});
  }

  ~downloading_hook() {
    srv_.stop();
    thread_.join();
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/hook";
  }

  std::map<std::string, seen_media> seen() {
    std::lock_guard<std::mutex> guard{mtx_};
    return seen_;
  }

private:
  void on_hook(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.c_str());
    if (!doc.IsObject() || !doc.HasMember("messages"))
      return;
    for (auto& m : doc["messages"].GetArray()) {
      seen_media s;
      s.type = m["type"].GetString();
      if (!m.HasMember(s.type.c_str()) || !m[s.type.c_str()].IsObject()
          || !m[s.type.c_str()].HasMember("id"))
        continue;
      auto& media = m[s.type.c_str()];
      s.media_id = media["id"].GetString();
      if (media.HasMember("mime_type"))
        s.mime_type = media["mime_type"].GetString();
      if (media.HasMember("sha256"))
        s.sha256 = media["sha256"].GetString();
      httplib::Client api{"127.0.0.1", api_port_};
      auto got = api.Get(("/v1/media/" + s.media_id).c_str(),
                         {{"Authorization", "Bearer " + token_}});
      if (got) {
        s.get_status = got->status;
        s.got_type = got->get_header_value("Content-Type");
        s.got_sha256 = mc::sha256_hex(got->body);
      }
      std::lock_guard<std::mutex> guard{mtx_};
      seen_[m["id"].GetString()] = s;
    }
  }

  int api_port_;
  std::string token_;
  httplib::Server srv_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mtx_;
  std::map<std::string, seen_media> seen_;
};

} // namespace mc::test
