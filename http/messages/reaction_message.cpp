#include "http/messages/message_types.hpp"

namespace mc::http {

/// Most code points of one emoji (flags, skin tones and ZWJ sequences
/// take several).
constexpr size_t max_emoji_chars = 10;

void reaction_message::check(message_checker& c,
                             const rapidjson::Value& reaction) {
  // Reaction object: the message reacted to and the emoji; an empty emoji
  // removes an earlier reaction.
  // https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#reaction-object
  auto f = c.object(reaction, "reaction", {"message_id", "emoji"});
  if (!f)
    return;
  c.text(*f, "message_id", true, 256);
  c.text(*f, "emoji", true, max_emoji_chars, true);
}

} // namespace mc::http
