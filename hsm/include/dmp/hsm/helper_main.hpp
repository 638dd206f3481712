// The main loop every hardware helper shares (dmp-sign-fido2,
// dmp-sign-pkcs11): harden the process, answer --version, refuse to run on
// a terminal, read one request from standard input, answer it on standard
// output, and exit 0 after an ok reply, 1 after an error reply, 3 when the
// reply could not be written.
#pragma once

#include <functional>

#include "dmp/hsm/helper_protocol.hpp"

namespace dmp::hsm::helper {

struct HelperIdentity {
  const char* name;     // "dmp-sign-pkcs11"
  const char* backend;  // for --version: "libfido2", "PKCS#11 modules"
  const char* role;     // for the terminal refusal: "FIDO2", "PKCS#11"
  const char* help;     // where the operator should look: "dmp-sign pkcs11 --help"
};

using Handler = std::function<Message(const Message& request)>;

int run_helper(int argc, char** argv, const HelperIdentity& who, const Handler& handle);

}  // namespace dmp::hsm::helper
