#include "http/messages/template_language.hpp"

namespace mc::http {

void template_language::check(message_checker& c,
                              const message_fields& parent) {
  auto lang = c.object(parent, "language", {"policy", "code"}, true);
  if (!lang)
    return;
  c.one_of(*lang, "policy", true, {"deterministic"});
  c.text(*lang, "code", true, 16);
}

} // namespace mc::http
