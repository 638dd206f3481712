// The body of dmp-sign-fido2's main(), shared by the release helper (USB
// tokens) and the test helper (software tokens, tests/fido2): harden the
// process, read one request from standard input, answer on standard output,
// exit 0 on an ok reply and 1 on an error reply.
#pragma once

#include "token_ops.hpp"

namespace dmp::hsm::fido2 {

int helper_main(int argc, char** argv, DeviceSource& devices);

}  // namespace dmp::hsm::fido2
