#include "message_test_util.hpp"

using namespace mc::http;
using namespace mc::http::test;

// Examples and rules of the media object:
// https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#media-object

TEST_CASE("media messages by id or by link are accepted whole") {
  auto r = accepted(request(
    "image", R"({"link":"https://example.com/a.jpg","caption":"your-image-caption"})"));
  CHECK(r.type == "image");
  CHECK(r.payload
        == R"({"type":"image","image":{"link":"https://example.com/a.jpg","caption":"your-image-caption"}})");
  r = accepted(request("document",
                       R"({"id":"f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68","caption":"c","filename":"report.pdf"})"));
  CHECK(r.type == "document");
  CHECK(r.payload
        == R"({"type":"document","document":{"id":"f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68","caption":"c","filename":"report.pdf"}})");
  accepted(request("audio", R"({"id":"your-media-id"})"));
  accepted(request("video", R"({"link":"http://example.com/v.mp4","caption":"v"})"));
  accepted(request("sticker", R"({"id":"sticker-id"})"));
  // A reply to an earlier message keeps its context in the document.
  r = accepted(request("sticker", R"({"id":"s"})",
                       R"("context":{"message_id":"gBGGFlA5FpafAgkOuJbRq54qwbM"})"));
  CHECK(r.payload
        == R"({"type":"sticker","sticker":{"id":"s"},"context":{"message_id":"gBGGFlA5FpafAgkOuJbRq54qwbM"}})");
}

TEST_CASE("a media object needs exactly one of id and link") {
  refused(request("image", "{}"), 1008, "image.id or image.link is missing");
  refused(request("image", R"({"id":"a","link":"https://x/y"})"), 1009,
          "image must have either id or link, not both");
  refused(request("image", R"({"id":""})"), 1009, "image.id must not be empty");
  refused(request("video", R"({"id":5})"), 1009,
          "video.id must be a string, got a number");
  refused(request("image", R"({"link":"ftp://x/y"})"), 1009,
          "image.link must be an http(s) URL, got 'ftp://x/y'");
  refused(request("image", R"({"link":"https://"})"), 1009,
          "image.link must be an http(s) URL, got 'https://'");
  refused(request("image", "[]"), 1009, "image must be an object, got an array");
}

TEST_CASE("caption only for image, video and document, filename only for document") {
  refused(request("audio", R"({"id":"a","caption":"c"})"), 1010,
          "unknown field 'audio.caption'");
  refused(request("sticker", R"({"id":"a","caption":"c"})"), 1010,
          "unknown field 'sticker.caption'");
  refused(request("image", R"({"id":"a","filename":"f.png"})"), 1010,
          "unknown field 'image.filename'");
  refused(request("image", R"({"id":"a","caption":")" + std::string(1025, 'c')
                             + "\"}"),
          1009, "image.caption is longer than 1024 characters");
  // Another type's object, preview_url and unknown members are refused.
  refused(request("image", R"({"id":"a"})", R"("text":{"body":"x"})"), 1010,
          "unknown field 'text'");
  refused(request("image", R"({"id":"a"})", R"("preview_url":true)"), 1010,
          "unknown field 'preview_url' (only for text messages)");
  refused(R"({"to":"1","type":"image"})", 1008, "image is missing");
}
