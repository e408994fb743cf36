// The one translation unit that holds CAF's test engine (without its main).
#define CAF_TEST_NO_MAIN
#include "support/caf_dsl.hpp"
#include <caf/test/unit_test_impl.hpp>
