// Test-only crash and pause points. In the dmp-sign-faulty test binary (built
// with DMP_FAULT_INJECTION), when the step named in DMP_TEST_CRASH_AT is
// reached the process kills itself with SIGKILL, so tests can check the
// crash-safety invariants after every step; when the step named in
// DMP_TEST_PAUSE_AT is reached it creates DMP_TEST_PAUSE_DIR/paused and waits
// until DMP_TEST_PAUSE_DIR/release exists (at most 60 s), so a test can run
// another process at exactly that point (e.g. while this one holds the
// ledger lock) instead of hoping for a race. In dmp-sign itself this compiles
// to nothing.
#pragma once

#ifdef DMP_FAULT_INJECTION
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#endif

namespace dmp::cli {

#ifdef DMP_FAULT_INJECTION
inline void pause_point(const char* step) noexcept {
  const char* target = std::getenv("DMP_TEST_PAUSE_AT");
  const char* dir = std::getenv("DMP_TEST_PAUSE_DIR");
  if (target == nullptr || dir == nullptr || std::strcmp(target, step) != 0) return;
  const std::string paused = std::string(dir) + "/paused";
  const std::string release = std::string(dir) + "/release";
  const int fd = ::open(paused.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
  // Bounded, so a test that never releases cannot hang the suite.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (::access(release.c_str(), F_OK) != 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// DMP_TEST_CRASH_AT=step crashes the first time `step` is reached;
// step#K the K-th time (a batch passes some steps more than once).
inline void crash_point(const char* step) noexcept {
  pause_point(step);
  const char* target = std::getenv("DMP_TEST_CRASH_AT");
  if (target == nullptr) return;
  const char* mark = std::strchr(target, '#');
  const std::size_t name_len =
      mark != nullptr ? static_cast<std::size_t>(mark - target) : std::strlen(target);
  if (std::strlen(step) != name_len || std::strncmp(target, step, name_len) != 0) return;
  static long reached = 0;  // one process targets one step
  const long wanted = mark != nullptr ? std::strtol(mark + 1, nullptr, 10) : 1;
  if (++reached == wanted) std::raise(SIGKILL);
}
#else
inline void crash_point(const char*) noexcept {}
#endif

}  // namespace dmp::cli
