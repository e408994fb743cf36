#pragma once

/// The Cloud API simulator's Graph API surface (what Meta's servers
/// answer), over HTTPS with a certificate or plain HTTP:
/// - POST /{version}/{phone-number-id}/messages: a send -> 200
///   {"messaging_product":"whatsapp","contacts":[{"input","wa_id"|"user_id"}],
///   "messages":[{"id":"wamid...","message_status"?}]}, or a mark-as-read
///   {"status":"read","message_id"} -> {"success":true}
/// - POST /{version}/{phone-number-id}/media (multipart: file, type,
///   messaging_product) -> {"id"}
/// - GET /{version}/{media-id} -> {"messaging_product","url","mime_type",
///   "sha256","file_size","id"}; DELETE -> {"success":true}
/// - GET /{version}/{phone-number-id} -> the number's fields
/// - GET /media-download/{media-id}: the bytes (the url above)
/// Every call needs "Authorization: Bearer <token>" (190 otherwise); errors
/// are Graph errors (cloud_graph_error.hpp).

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "http/cloud_sim/cloud_sim_parts.hpp"

namespace httplib {
class Server;
} // namespace httplib

namespace mc {

/// Serves the Graph API of one simulator.
class cloud_sim_server {
public:
  explicit cloud_sim_server(cloud_sim_parts parts);
  ~cloud_sim_server();

  cloud_sim_server(const cloud_sim_server&) = delete;
  cloud_sim_server& operator=(const cloud_sim_server&) = delete;

  /// Serves HTTPS with `tls_cert`/`tls_key` (PEM) when given, else HTTP, on
  /// `host:port` (0: a free port) from a background thread. An empty
  /// string on success, else why not.
  std::string start(const std::string& host, uint16_t port,
                    const std::string& tls_cert, const std::string& tls_key);

  uint16_t port() const { return port_; }

  void stop();

private:
  void install_routes();

  cloud_sim_parts parts_;
  std::unique_ptr<httplib::Server> server_;
  std::string scheme_ = "http";
  std::thread thread_;
  uint16_t port_ = 0;
};

} // namespace mc
