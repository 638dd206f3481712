#include "helper_main.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "dmp/build_info.hpp"

namespace dmp::hsm::fido2 {

int helper_main(int argc, char** argv, DeviceSource& devices) {
  // The PIN and hmac-secret outputs pass through this process: no core dumps.
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

  if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
    std::printf("dmp-sign-fido2 %s (commit %s; dynamic, libfido2)\n", build_info::kVersion,
                build_info::kCommit);
    return 0;
  }
  if (argc != 1 || ::isatty(STDIN_FILENO)) {
    std::fprintf(stderr,
                 "dmp-sign-fido2: the FIDO2 helper of dmp-sign; it is started by dmp-sign and "
                 "speaks on a pipe, not to a terminal (try: dmp-sign fido2 --help)\n");
    return 2;
  }
  fido_init(0);
  auto request = helper::read_message(STDIN_FILENO);
  helper::Message reply =
      request ? handle_request(*request, devices)
              : helper::error_reply(request.error().reason, request.error().message);
  const bool ok = reply.kind == helper::kKindOk;
  if (!helper::write_message(STDOUT_FILENO, reply)) return 3;
  return ok ? 0 : 1;
}

}  // namespace dmp::hsm::fido2
