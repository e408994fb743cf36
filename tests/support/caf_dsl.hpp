#pragma once

/// CAF's deterministic test DSL (test_coordinator_fixture, expect, inject,
/// advance_time) running under doctest.
///
/// CAF's own check macros are redefined in terms of doctest's between the two
/// CAF headers; without that a passing `expect` crashes. A failed REQUIRE
/// aborts the process (each case runs as its own process under ctest).

#include <cstdlib>
#include <sstream>

#include <doctest/doctest.h>

#include <caf/test/unit_test.hpp>

#undef CAF_CHECK
#undef CAF_CHECK_EQUAL
#undef CAF_REQUIRE
#undef CAF_REQUIRE_EQUAL
#undef CAF_FAIL
#undef CAF_MESSAGE

#define CAF_CHECK(...) CHECK(static_cast<bool>(__VA_ARGS__))
#define CAF_CHECK_EQUAL(x, y) CHECK((x) == (y))
#define CAF_REQUIRE(...)                                                       \
  do {                                                                         \
    if (!static_cast<bool>(__VA_ARGS__)) {                                     \
      FAIL_CHECK("CAF_REQUIRE failed: " #__VA_ARGS__);                         \
      std::abort();                                                            \
    }                                                                          \
  } while (false)
#define CAF_REQUIRE_EQUAL(x, y)                                                \
  do {                                                                         \
    if (!((x) == (y))) {                                                       \
      FAIL_CHECK("CAF_REQUIRE_EQUAL failed: " #x " == " #y);                   \
      std::abort();                                                            \
    }                                                                          \
  } while (false)
#define CAF_FAIL(msg)                                                          \
  do {                                                                         \
    std::ostringstream caf_fail_os_;                                           \
    caf_fail_os_ << msg;                                                       \
    FAIL_CHECK(caf_fail_os_.str());                                            \
    std::abort();                                                              \
  } while (false)
#define CAF_MESSAGE(msg)                                                       \
  do {                                                                         \
  } while (false)

#include <caf/test/dsl.hpp>
