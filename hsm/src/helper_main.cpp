#include "dmp/hsm/helper_main.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "dmp/build_info.hpp"

namespace dmp::hsm::helper {

int run_helper(int argc, char** argv, const HelperIdentity& who, const Handler& handle) {
  // PINs (and FIDO2 hmac-secret outputs) pass through a helper: no core
  // dumps, and no ptrace by other processes of the same user.
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

  if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
    std::printf("%s %s (commit %s; dynamic, %s)\n", who.name, build_info::kVersion,
                build_info::kCommit, who.backend);
    return 0;
  }
  if (argc != 1 || ::isatty(STDIN_FILENO)) {
    std::fprintf(stderr,
                 "%s: the %s helper of dmp-sign; it is started by dmp-sign and speaks on a pipe, "
                 "not to a terminal (try: %s)\n",
                 who.name, who.role, who.help);
    return 2;
  }
  auto request = read_message(STDIN_FILENO);
  Message reply =
      request ? handle(*request) : error_reply(request.error().reason, request.error().message());
  const bool ok = reply.kind == kKindOk;
  if (!write_message(STDOUT_FILENO, reply)) return 3;
  return ok ? 0 : 1;
}

}  // namespace dmp::hsm::helper
