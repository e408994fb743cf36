#pragma once

#include "http/messages/message_checker.hpp"

namespace mc::http {

/// The language object shared by "template" and "hsm": {policy, code};
/// policy "deterministic" only (the "fallback" policy is deprecated).
/// https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#language-object
class template_language {
public:
  static void check(message_checker& c, const message_fields& parent);
};

} // namespace mc::http
