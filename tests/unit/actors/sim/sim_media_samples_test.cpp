#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include "actors/sim/sim_inbound_samples.hpp"
#include "actors/sim/sim_media_samples.hpp"
#include "runtime/sha256.hpp"

using namespace mc;

TEST_CASE("sim_media_samples: deterministic bytes per id, typed signature, "
          "real digest") {
  auto a = sim_media_samples::make("sim-media-image-1", "image/jpeg");
  auto b = sim_media_samples::make("sim-media-image-1", "image/jpeg");
  auto c = sim_media_samples::make("sim-media-image-2", "image/jpeg");
  CHECK(a.bytes == b.bytes);
  CHECK(a.bytes != c.bytes);
  CHECK(a.sha256 == sha256_hex(a.bytes));
  CHECK(a.bytes.rfind("\xFF\xD8\xFF", 0) == 0);
  CHECK(a.bytes.size() >= 256);
  CHECK(a.bytes.size() < 1024);
  auto pdf = sim_media_samples::make("sim-media-document-1", "application/pdf");
  CHECK(pdf.bytes.rfind("%PDF-", 0) == 0);
  CHECK(sim_media_samples::mime_of("text").empty());
  CHECK(sim_media_samples::mime_of("sticker") == "image/webp");
}

TEST_CASE("sim_media_samples: every media sample's payload names the held "
          "bytes' digest and type") {
  for (auto type : {"image", "audio", "video", "document", "voice",
                    "sticker"}) {
    auto payload = sim_inbound_samples::payload(type, 7, "15550001000");
    rapidjson::Document doc;
    doc.Parse(payload.c_str());
    REQUIRE(doc.IsObject());
    auto& m = doc[type];
    auto media = sim_media_samples::of_payload(payload);
    REQUIRE_MESSAGE(media, type);
    CHECK(media->id == m["id"].GetString());
    CHECK(media->sha256 == m["sha256"].GetString());
    CHECK(sha256_hex(media->bytes) == m["sha256"].GetString());
    CHECK(media->mime_type == m["mime_type"].GetString());
  }
  // Text, and media whose id the simulator did not make, have none.
  CHECK_FALSE(sim_media_samples::of_payload(
    sim_inbound_samples::payload("text", 1, "15550001000")));
  CHECK_FALSE(sim_media_samples::of_payload(
    R"({"type":"image","image":{"id":"other","mime_type":"image/png",)"
    R"("sha256":"00"}})"));
}
