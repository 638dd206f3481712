// Tests that need a tool or file of the base system (setsid, script, unshare,
// /dev/full) skip on a machine without it, but FAIL under CI (CI=true): CI
// installs every prerequisite, so a skip there would hide a test that never ran.
// A test that cannot run for a reason of the machine itself (not root, no
// namespaces, a controlling terminal) uses GTEST_SKIP directly.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace dmp::test {

inline bool running_under_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && *ci != '\0' && std::string(ci) != "false" && std::string(ci) != "0";
}

}  // namespace dmp::test

// In a TEST body or SetUp: skip (locally) or fail (under CI) unless `present`.
#define DMP_REQUIRE_PREREQUISITE(present, what)                                                   \
  do {                                                                                            \
    if (!(present)) {                                                                             \
      if (::dmp::test::running_under_ci()) FAIL() << "prerequisite missing under CI: " << (what); \
      GTEST_SKIP() << "prerequisite missing: " << (what);                                         \
    }                                                                                             \
  } while (false)
