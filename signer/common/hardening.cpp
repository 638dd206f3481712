#include "common/hardening.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>

namespace dmp::cli {

void harden_process() noexcept {
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

}  // namespace dmp::cli
