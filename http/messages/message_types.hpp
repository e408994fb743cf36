#pragma once

/// One validator per message type of POST /v1/messages, each in its own
/// file, following the On-Prem reference
/// https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages
/// and its sub-pages. Each checks the type's object (the request member
/// named like the type) and records the first broken rule in the checker.

#include <string_view>

#include <rapidjson/document.h>

#include "http/messages/message_checker.hpp"

namespace mc::http {

/// "text": {body}; body 1-4096 code points (1001 beyond).
class text_message {
public:
  static void check(message_checker& c, const rapidjson::Value& text);
};

/// "image", "audio", "video", "document", "sticker": by id or link.
class media_message {
public:
  /// Whether `type` is one of the media types.
  static bool is_media(std::string_view type);

  /// Checks the media object `v` at `path` of kind `type` (also used for
  /// template parameters and interactive headers).
  static void check(message_checker& c, const rapidjson::Value& v,
                    std::string_view type, std::string path);
};

/// "location": {longitude, latitude, name, address}.
class location_message {
public:
  static void check(message_checker& c, const rapidjson::Value& location);
};

/// "contacts": an array of contact cards.
class contacts_message {
public:
  static void check(message_checker& c, const rapidjson::Value& contacts);
};

/// "reaction": {message_id, emoji}; an empty emoji removes the reaction.
class reaction_message {
public:
  static void check(message_checker& c, const rapidjson::Value& reaction);
};

/// "template": {namespace, name, language, components}.
class template_message {
public:
  static void check(message_checker& c, const rapidjson::Value& tmpl);
};

/// "hsm": the legacy template form {namespace, element_name, language,
/// localizable_params}.
class hsm_message {
public:
  static void check(message_checker& c, const rapidjson::Value& hsm);
};

/// "interactive": list, button, product and product_list messages.
class interactive_message {
public:
  static void check(message_checker& c, const rapidjson::Value& interactive);
};

} // namespace mc::http
