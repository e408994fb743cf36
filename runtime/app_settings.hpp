#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <optional>
#include <vector>

namespace mc {

/// The application settings (GET/PATCH /v1/settings/application): cluster
/// state kept in the database and cached by every node; the subset of the On-Prem settings that this cluster implements.
struct app_settings {
  std::string webhook_url;              ///< "" = no webhook; http(s) URL.
  int max_concurrent_requests = 6;      ///< 6, 12, 18 or 24.
  bool callback_persist = true;
  int64_t callback_backoff_delay_ms = 3000;
  int64_t max_callback_backoff_delay_ms = 900000;
  bool sent_status = false;
  double heartbeat_interval = 0.2;      ///< Seconds (On-Prem default 5).
  double unhealthy_interval = 1.0;      ///< Seconds (On-Prem default 30).
  /// webhooks.message.{sent, delivered, read}: which statuses are posted
  /// (On-Prem v2.41.2+). "sent" is posted when this or sent_status is on.
  bool webhook_sent = false;
  bool webhook_delivered = true;
  bool webhook_read = true;

  // Documented On-Prem fields that change nothing in this cluster: stored,
  // returned and listed in the README so that clients that set them work.
  bool pass_through = false;
  std::vector<std::string> media_auto_download; ///< media.auto_download
  bool db_garbagecollector_enable = true;
  bool garbagecollector_media = false;     ///< garbagecollector_enable.media
  bool garbagecollector_messages = true;   ///< garbagecollector_enable.messages
  std::string on_call_pager;               ///< a wa_id, "" = none
  bool notify_user_change_number = false;
  bool show_security_notifications = false;
};

/// Whether a status callback of `status` ("sent", "delivered", "read",
/// "failed"...) is posted under `s`: the webhooks.message toggles filter
/// the first three (sent also by sent_status); others are always posted.
bool status_wanted(const app_settings& s, std::string_view status);

/// The media types media.auto_download accepts (On-Prem: audio, document,
/// image, sticker, video, voice).
bool valid_auto_download_type(std::string_view type);

/// Accepted ranges, so that a PATCH cannot configure a cluster that never
/// retries, retries in a tight loop, or never declares a node dead.
namespace settings_limits {
constexpr int64_t min_backoff_ms = 1;
constexpr int64_t max_backoff_ms = 86'400'000; ///< One day.
constexpr double min_heartbeat = 0.05;
constexpr double max_heartbeat = 60.0;
constexpr double min_unhealthy = 0.1;
constexpr double max_unhealthy = 600.0;
constexpr size_t max_url_bytes = 2048;
} // namespace settings_limits

/// nullopt when `url` is acceptable as a webhook URL (empty: no webhook),
/// else the reason.
std::optional<std::string> webhook_url_error(std::string_view url);

/// The On-Prem values of webhooks.max_concurrent_requests: 6, 12, 18, 24.
bool valid_max_concurrent_requests(int64_t n);
bool valid_backoff(int64_t ms);
bool valid_heartbeat(double s);
bool valid_unhealthy(double s);

/// The storage form: a flat JSON object kept in the database.
std::string settings_to_stored_json(const app_settings& s);

/// Reads the storage form back. Never fails: a missing, mistyped or
/// out-of-range field (or unparsable input) takes its default.
app_settings settings_from_stored_json(std::string_view json);

/// Delay before retrying a callback that has failed `attempts` times
/// (attempts >= 1): attempts * callback_backoff_delay_ms, capped at
/// max_callback_backoff_delay_ms; 0 when attempts < 1. This is the On-Prem
/// rule: "The backoff delay increases linearly by this value each time a
/// callback fails ... if a callback fails the first time, it will try again
/// in 3000ms. A second failure will result in a 6000ms delay ... until ...
/// the delay reaches 900000ms (15 min) after which the callback will
/// continue to be retried but the delay will not increase." (On-Prem
/// "Application Settings", callback_backoff_delay_ms.)
int64_t callback_backoff_ms(const app_settings& s, int attempts);

} // namespace mc
