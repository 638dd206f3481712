// Starting a hardware helper (dmp-sign-fido2, dmp-sign-pkcs11) and holding
// one request/reply conversation with it over a pair of pipes; see
// helper_protocol.hpp for the bytes and the reasons for a separate process.
#pragma once

#include <string>
#include <vector>

#include "dmp/hsm/helper_protocol.hpp"
#include "dmp/result.hpp"

namespace dmp::hsm::helper {

// Runs `argv` (argv[0] is the helper's path, executed as given, no PATH
// search), writes `request` to its standard input, reads one message from
// its standard output and waits for it to exit. The helper's standard error
// stays the caller's, so its prompts ("touch your token") reach the operator.
//
// Returns the ok reply; an error reply as the Error it carries; and
// Reason::helper_protocol when the helper cannot be started, sends no or a
// malformed reply, sends more than one message, or exits non-zero or on a
// signal after an ok reply (an ok from a helper that then failed is not
// trusted).
Result<Message> call_helper(const std::vector<std::string>& argv, const Message& request);

}  // namespace dmp::hsm::helper
