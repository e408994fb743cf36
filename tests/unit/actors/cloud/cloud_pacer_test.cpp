#include <doctest/doctest.h>

#include <chrono>

#include "actors/cloud/cloud_pacer.hpp"

using namespace mc;
using namespace std::chrono_literals;

namespace {

/// Tokens taken in `span` when asking every millisecond.
int taken_in(cloud_pacer& p, cloud_pacer::clock::time_point start,
             std::chrono::milliseconds span) {
  int n = 0;
  for (auto t = start; t < start + span; t += 1ms)
    if (p.take(t) == cloud_pacer::clock::duration::zero())
      ++n;
  return n;
}

} // namespace

TEST_CASE("a node sends its share of the cluster's budget") {
  cloud_pacer p{80};
  p.share(1, 4); // 20 msg/s
  auto t0 = cloud_pacer::clock::now();
  auto n = taken_in(p, t0, 10s);
  // 20/s for 10 s, plus the small initial bucket.
  CHECK(n >= 199);
  CHECK(n <= 206);
  CHECK(p.rate(t0) == doctest::Approx(20));
}

TEST_CASE("an empty bucket says how long to wait") {
  cloud_pacer p{10};
  p.share(1, 1);
  auto t0 = cloud_pacer::clock::now();
  REQUIRE(p.take(t0) == cloud_pacer::clock::duration::zero());
  auto wait = p.take(t0);
  CHECK(wait > 50ms);
  CHECK(wait <= 100ms);
  CHECK(p.take(t0 + wait) == cloud_pacer::clock::duration::zero());
}

TEST_CASE("a throughput refusal halves the rate for a while") {
  cloud_pacer p{100};
  p.share(2, 2);
  auto t0 = cloud_pacer::clock::now();
  p.slow_down(t0);
  CHECK(p.rate(t0 + 1s) == doctest::Approx(50));
  auto n = taken_in(p, t0, 4s);
  CHECK(n >= 195);
  CHECK(n <= 205);
  CHECK(p.rate(t0 + 6s) == doctest::Approx(100));
}

TEST_CASE("a node that owns no shard sends nothing") {
  cloud_pacer p{80};
  p.share(0, 4);
  CHECK(p.take() > cloud_pacer::clock::duration::zero());
}
