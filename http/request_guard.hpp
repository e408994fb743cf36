#pragma once

/// The checks every tuned server makes on a request's headers before
/// httplib reads its body (a pre-routing handler).

#include <cstddef>

#include <httplib.h>

namespace mc::http {

/// Refuses, before the body is read, what httplib 0.11 would otherwise read
/// whole or wait for: a Content-Length over the limit (413), a body without
/// a length (Transfer-Encoding, 411: httplib buffers chunked bodies without
/// any limit) and too many header fields (431). A refused request's
/// connection is closed after the answer, so the unread body is never
/// parsed as the next request. The answer is in the On-Prem error shape.
class request_guard {
public:
  request_guard(size_t payload_max, size_t header_count_max)
    : payload_max_(payload_max), header_count_max_(header_count_max) {
  }

  /// The pre-routing handler: Handled when the request is refused.
  httplib::Server::HandlerResponse operator()(const httplib::Request& req,
                                              httplib::Response& res) const;

private:
  size_t payload_max_;
  size_t header_count_max_;
};

} // namespace mc::http
