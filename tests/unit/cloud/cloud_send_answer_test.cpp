#include <doctest/doctest.h>

#include <string>

#include "runtime/cloud/cloud_send_answer.hpp"
#include "runtime/onprem_codes.hpp"

using namespace mc;

namespace {

/// A Graph API error body as the Cloud API's "Error codes" page shows it
/// (developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
std::string error_body(int code, const std::string& message,
                       const std::string& details) {
  return R"({"error":{"message":")" + message
         + R"(","type":"OAuthException","code":)" + std::to_string(code)
         + R"(,"error_data":{"messaging_product":"whatsapp","details":")"
         + details
         + R"("},"error_subcode":2494055,"fbtrace_id":)"
           R"("Az8or2yhqkZfEZ-_4Qn_Bam"}})";
}

} // namespace

// developers.facebook.com/docs/whatsapp/cloud-api/reference/messages,
// "Response".
TEST_CASE("a successful send gives the wamid") {
  auto a = parse_cloud_answer(
    200, R"({"messaging_product":"whatsapp","contacts":[{"input":)"
         R"("+16505551234","wa_id":"16505551234"}],"messages":[{"id":)"
         R"("wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"}]})");
  CHECK(a.kind == cloud_error_class::none);
  CHECK(a.wamid
        == "wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA");
  CHECK(a.cloud_code == 0);
  CHECK(a.onprem_code == 0);
}

TEST_CASE("a read receipt and a media upload succeed") {
  CHECK(parse_cloud_answer(200, R"({"success":true})").kind
        == cloud_error_class::none);
  auto m = parse_cloud_answer(200, R"({"id":"1037543291543636"})");
  CHECK(m.kind == cloud_error_class::none);
  CHECK(m.media_id == "1037543291543636");
  CHECK(m.wamid.empty());
}

TEST_CASE("throughput errors ask to slow down") {
  auto a = parse_cloud_answer(
    400, error_body(130429, "(#130429) Rate limit hit",
                    "Cloud API message throughput has been reached."));
  CHECK(a.kind == cloud_error_class::throughput);
  CHECK(a.cloud_code == 130429);
  CHECK(a.cloud_title == "(#130429) Rate limit hit");
  CHECK(a.cloud_details == "Cloud API message throughput has been reached.");
  CHECK(a.onprem_code == 0);
  CHECK(parse_cloud_answer(400, error_body(80007, "Rate limit issues", "x"))
          .kind
        == cloud_error_class::throughput);
  CHECK(parse_cloud_answer(400, error_body(4, "Too many calls", "x")).kind
        == cloud_error_class::throughput);
  CHECK(parse_cloud_answer(429, "").kind == cloud_error_class::throughput);
}

TEST_CASE("the pair rate limit holds one recipient") {
  auto a = parse_cloud_answer(
    400, error_body(131056, "(Business Account, Consumer Account) pair rate "
                            "limit hit", "x"));
  CHECK(a.kind == cloud_error_class::pair_limit);
  CHECK(a.cloud_code == 131056);
}

TEST_CASE("token errors ask for a new token") {
  auto a = parse_cloud_answer(
    401, R"({"error":{"message":"Error validating access token: Session has )"
         R"(expired","type":"OAuthException","code":190,"error_subcode":463,)"
         R"("fbtrace_id":"AbCd"}})");
  CHECK(a.kind == cloud_error_class::token);
  CHECK(a.cloud_code == 190);
  CHECK(a.cloud_details.empty());
  CHECK(parse_cloud_answer(401, "not json").kind == cloud_error_class::token);
}

TEST_CASE("transient errors are retried") {
  CHECK(parse_cloud_answer(0, "").kind == cloud_error_class::transient);
  CHECK(parse_cloud_answer(502, "<html>Bad Gateway</html>").kind
        == cloud_error_class::transient);
  CHECK(parse_cloud_answer(503, "").kind == cloud_error_class::transient);
  for (int code : {1, 2, 131000, 131016, 131057, 133004}) {
    auto a = parse_cloud_answer(500, error_body(code, "Something went wrong",
                                                "x"));
    CHECK(a.kind == cloud_error_class::transient);
    CHECK(a.cloud_code == code);
    // Also when a proxy put a 4xx around it: the code decides.
    CHECK(parse_cloud_answer(400, error_body(code, "m", "d")).kind
          == cloud_error_class::transient);
  }
}

TEST_CASE("permanent errors map to the On-Prem codes") {
  struct row { int cloud; int onprem; };
  for (auto r : {row{131047, codes::reengagement},
                 row{132000, codes::template_param_count},
                 row{132001, codes::template_missing},
                 row{131026, codes::invalid_user},
                 row{131051, codes::receiver_incapable},
                 row{100, codes::invalid_parameter},
                 row{131008, codes::missing_parameter},
                 row{131009, codes::invalid_parameter},
                 row{131052, codes::internal},
                 row{131053, codes::internal},
                 row{10, codes::access_denied}}) {
    CAPTURE(r.cloud);
    auto a = parse_cloud_answer(400, error_body(r.cloud, "Title", "Why"));
    CHECK(a.kind == cloud_error_class::permanent);
    CHECK(a.cloud_code == r.cloud);
    CHECK(a.onprem_code == r.onprem);
    CHECK(a.onprem_title == error_title(r.onprem));
    CHECK(a.onprem_details
          == "Cloud API error " + std::to_string(r.cloud) + ": Title (Why)");
    CHECK(onprem_code_of(r.cloud) == r.onprem);
  }
  CHECK(error_title(codes::reengagement).find("24 hours")
        != std::string_view::npos);
  CHECK(error_title(codes::template_missing) == "Template Missing");
}

TEST_CASE("an unknown permanent error is generic with the Cloud code") {
  auto a = parse_cloud_answer(
    400, error_body(131049, "This message was not delivered to maintain "
                            "healthy ecosystem engagement.", "d"));
  CHECK(a.kind == cloud_error_class::permanent);
  CHECK(a.onprem_code == codes::generic);
  CHECK(a.onprem_title == "Generic error");
  CHECK(a.onprem_details.find("131049") != std::string::npos);
  // No error object at all: generic, naming the HTTP status.
  auto b = parse_cloud_answer(404, "Not Found");
  CHECK(b.kind == cloud_error_class::permanent);
  CHECK(b.onprem_code == codes::generic);
  CHECK(b.onprem_details == "Cloud API answered HTTP 404");
  // A throughput code is never turned into a failure.
  CHECK(onprem_code_of(130429) == codes::generic);
}

TEST_CASE("an error body with HTTP 200 is still an error") {
  auto a = parse_cloud_answer(200, error_body(131047, "Re-engagement message",
                                              "more than 24 hours"));
  CHECK(a.kind == cloud_error_class::permanent);
  CHECK(a.onprem_code == codes::reengagement);
}

TEST_CASE("every class has a name") {
  CHECK(std::string{to_string(cloud_error_class::pair_limit)}
        == "pair_limit");
  CHECK(std::string{to_string(cloud_error_class::none)} == "none");
}
