#pragma once

#include <memory>
#include <string>

#include "actors/cloud/cloud_settings.hpp"
#include "runtime/cloud/cloud_send_answer.hpp"

namespace httplib {
class Client;
} // namespace httplib

namespace mc {

/// What a media upload came to: the Cloud media id on success.
struct cloud_upload {
  cloud_answer answer;
  std::string media_id;
};

/// What a media download came to: the bytes on success.
struct cloud_download {
  cloud_answer answer;
  std::string mime_type;
  std::string bytes;
};

/// One keep-alive HTTPS connection to the Graph API, used by one sender at
/// a time (cpp-httplib's client, blocking). Every call returns the parsed
/// answer (runtime/cloud/cloud_send_answer.hpp); a network error is an
/// answer of HTTP status 0, classified as transient.
class cloud_client {
public:
  explicit cloud_client(cloud_settings settings);
  ~cloud_client();

  cloud_client(const cloud_client&) = delete;
  cloud_client& operator=(const cloud_client&) = delete;

  /// POST /{version}/{phone-number-id}/messages with `body` (a send or a
  /// mark-as-read).
  cloud_answer post_message(const std::string& token, const std::string& body);

  /// POST /{version}/{phone-number-id}/media, multipart.
  cloud_upload upload_media(const std::string& token,
                            const std::string& mime_type,
                            const std::string& bytes);

  /// GET /{version}/{media-id}, then its URL with the token.
  cloud_download download_media(const std::string& token,
                                const std::string& media_id);

private:
  cloud_settings settings_;
  std::unique_ptr<httplib::Client> http_;
};

} // namespace mc
