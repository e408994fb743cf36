#pragma once

/// A Cloud API simulator process (role cloud-sim) for end-to-end tests:
/// its own temp dir with the token and app secret files, free loopback
/// ports for the Graph API and the query API, killed on destruction.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <httplib.h>
#include <rapidjson/document.h>

#include "support/processes.hpp"

namespace mc::test {

class test_cloud_sim {
public:
  /// Starts `multiconnect --role cloud-sim` with `extra` flags appended.
  explicit test_cloud_sim(const std::string& name,
                          std::vector<std::string> extra = {});
  ~test_cloud_sim();

  test_cloud_sim(const test_cloud_sim&) = delete;
  test_cloud_sim& operator=(const test_cloud_sim&) = delete;

  /// Waits until the query API answers /healthz and the Graph port accepts.
  bool wait_ready(std::chrono::milliseconds timeout);

  uint16_t port() const { return port_; }
  uint16_t query_port() const { return query_port_; }
  const std::string& dir() const { return dir_; }
  const std::string& token() const { return token_; }
  const std::string& app_secret() const { return secret_; }
  /// The default --cloud-phone-number-id.
  static std::string phone_number_id() { return "106540352242922"; }

  /// Writes a new valid token into the token file.
  void set_token(const std::string& token);

  /// A plain client of the Graph API with the Bearer token set.
  std::unique_ptr<httplib::Client> graph() const;

  /// "/v19.0/<phone-number-id>/messages".
  static std::string messages_path();

  /// POSTs `body` to the messages path; the answer (null on no answer).
  httplib::Result send(const std::string& body) const;

  /// GETs `path` of the query API and parses it (an empty object on error).
  rapidjson::Document query(const std::string& path) const;

  /// POSTs `body` to `path` of the query API; the HTTP status (0: none).
  int control(const std::string& path, const std::string& body) const;

  std::string log() const;

private:
  std::string dir_;
  std::string token_;
  std::string secret_;
  uint16_t port_ = 0;
  uint16_t query_port_ = 0;
  std::unique_ptr<child_process> proc_;
};

} // namespace mc::test
