#include "http/messages/message_types.hpp"

namespace mc::http {

/// Most code points a text body may have (On-Prem error 1001 beyond this).
/// https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#text-object
constexpr size_t max_text_body_chars = 4096;

void text_message::check(message_checker& c, const rapidjson::Value& text) {
  auto f = c.object(text, "text", {"body"});
  if (f)
    c.text(*f, "body", true, max_text_body_chars, false,
           codes::message_too_long);
}

} // namespace mc::http
