#include <doctest/doctest.h>

#include "actors/coreapp/session_media.hpp"

using namespace mc;

namespace {

upstream_message msg(const std::string& type, const std::string& payload) {
  return upstream_message{"id", "1555", payload, type};
}

} // namespace

TEST_CASE("a session uploads each media once and never looks into text") {
  session_media media;
  std::vector<upstream_message> batch{
    msg("text", R"({"type":"text","text":{"body":"x"}})"),
    msg("image", R"({"type":"image","image":{"id":"m1"}})"),
    msg("document", R"({"type":"document","document":{"id":"m2"}})"),
    msg("image", R"({"type":"image","image":{"id":"m1"}})"),
    // Typed text: not parsed even if it looks like a media message.
    msg("text", R"({"type":"image","image":{"id":"m3"}})"),
    msg("image", R"({"type":"image","image":{"link":"https://x/y.png"}})"),
  };
  CHECK(media.missing(batch) == std::vector<std::string>{"m1", "m2"});
  media.uploaded({"m1"});
  CHECK(media.missing(batch) == std::vector<std::string>{"m2"});
  media.uploaded({"m2"});
  CHECK(media.missing(batch).empty());
}
