// Test-only crash points. In the dmp-sign-faulty test binary (built with
// DMP_FAULT_INJECTION) the process kills itself with SIGKILL when the step
// named in DMP_TEST_CRASH_AT is reached, so tests can check the crash-safety
// invariants after every step. In dmp-sign itself this compiles to nothing.
#pragma once

#ifdef DMP_FAULT_INJECTION
#include <csignal>
#include <cstdlib>
#include <cstring>
#endif

namespace dmp::cli {

#ifdef DMP_FAULT_INJECTION
inline void crash_point(const char* step) noexcept {
  const char* target = std::getenv("DMP_TEST_CRASH_AT");
  if (target != nullptr && std::strcmp(target, step) == 0) std::raise(SIGKILL);
}
#else
inline void crash_point(const char*) noexcept {}
#endif

}  // namespace dmp::cli
