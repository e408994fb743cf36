#include <doctest/doctest.h>

#include <string>

#include "runtime/media_kind.hpp"
#include "runtime/sha256.hpp"

using namespace mc;

namespace {

media_kind kind_of(const char* content_type) {
  auto t = parse_mime_type(content_type);
  REQUIRE_MESSAGE(t, content_type);
  auto k = upload_kind(*t);
  REQUIRE_MESSAGE(k, content_type);
  return *k;
}

/// A WebP header with a VP8X chunk whose flags byte is `flags`.
std::string webp_vp8x(unsigned char flags) {
  static constexpr char head[] = "RIFF\x10\0\0\0WEBPVP8X\x0a\0\0\0";
  std::string b(head, sizeof(head) - 1);
  b.push_back(static_cast<char>(flags));
  b.append(9, '\0');
  return b;
}

} // namespace

TEST_CASE("upload kinds follow the reference's Content-Type table") {
  CHECK(kind_of("image/jpeg") == media_kind::image);
  CHECK(kind_of("IMAGE/PNG") == media_kind::image);
  CHECK(kind_of("image/webp") == media_kind::sticker);
  CHECK(kind_of("video/mp4") == media_kind::video);
  CHECK(kind_of("video/3gpp") == media_kind::video);
  CHECK(kind_of("audio/aac") == media_kind::audio);
  CHECK(kind_of("audio/mpeg") == media_kind::audio);
  CHECK(kind_of("audio/ogg; codecs=opus") == media_kind::audio);
  CHECK(kind_of("audio/ogg") == media_kind::audio);
  // Documents take any valid MIME type.
  CHECK(kind_of("application/pdf") == media_kind::document);
  CHECK(kind_of("text/plain; charset=utf-8") == media_kind::document);
  CHECK(kind_of("image/gif") == media_kind::document);
  // Base audio/ogg with another codec is not supported.
  CHECK_FALSE(upload_kind(*parse_mime_type("audio/ogg; codecs=vorbis")));
}

TEST_CASE("malformed Content-Types are refused") {
  CHECK_FALSE(parse_mime_type(""));
  CHECK_FALSE(parse_mime_type("image"));
  CHECK_FALSE(parse_mime_type("image/"));
  CHECK_FALSE(parse_mime_type("/jpeg"));
  CHECK_FALSE(parse_mime_type("image/jp eg"));
  CHECK_FALSE(parse_mime_type("image/jpeg; broken"));
  auto t = parse_mime_type(" Audio/OGG ; Codecs=\"Opus\" ");
  REQUIRE(t);
  CHECK(t->base == "audio/ogg");
  CHECK(t->codecs == "opus");
}

TEST_CASE("size limits per kind, with the animated sticker's own limit") {
  CHECK(max_bytes(media_kind::image, false) == 5u * 1024 * 1024);
  CHECK(max_bytes(media_kind::audio, false) == 16u * 1024 * 1024);
  CHECK(max_bytes(media_kind::video, false) == 16u * 1024 * 1024);
  CHECK(max_bytes(media_kind::document, false) == 100u * 1024 * 1024);
  CHECK(max_bytes(media_kind::sticker, false) == 100u * 1024);
  CHECK(max_bytes(media_kind::sticker, true) == 500u * 1024);
  CHECK(is_animated_webp(webp_vp8x(0x02)));
  CHECK(is_animated_webp(webp_vp8x(0x12)));
  CHECK_FALSE(is_animated_webp(webp_vp8x(0x10)));
  auto lossy = webp_vp8x(0x02);
  lossy[15] = ' '; // a "VP8 " chunk has no flags
  CHECK_FALSE(is_animated_webp(lossy));
  CHECK_FALSE(is_animated_webp("short"));
}

TEST_CASE("a message's media id is found for media types only") {
  auto r = media_ref_of(R"({"type":"image","image":{"id":"abc","caption":"x"}})");
  REQUIRE(r);
  CHECK(r->kind == media_kind::image);
  CHECK(r->id == "abc");
  r = media_ref_of(R"({"document":{"id":"d1"},"type":"document"})");
  REQUIRE(r);
  CHECK(r->kind == media_kind::document);
  CHECK(r->id == "d1");
  // Text, links, mismatched objects and broken JSON refer to no media.
  CHECK_FALSE(media_ref_of(R"({"type":"text","text":{"body":"\"id\""}})"));
  CHECK_FALSE(media_ref_of(R"({"type":"image","image":{"link":"https://x"}})"));
  CHECK_FALSE(media_ref_of(R"({"type":"image","video":{"id":"v"}})"));
  CHECK_FALSE(media_ref_of(R"({"type":"image","image":{"id":7}})"));
  CHECK_FALSE(media_ref_of(R"({"type":"image","image":{"id":"x")"));
  CHECK(media_fits(media_kind::document, media_kind::image));
  CHECK_FALSE(media_fits(media_kind::image, media_kind::document));
}

TEST_CASE("sha256_hex matches the FIPS 180-2 test vector") {
  CHECK(sha256_hex("abc")
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("")
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
