// The operator's consent, asked on /dev/tty (never standard input: that may
// carry the record being signed). Declining or having no terminal is
// Reason::not_confirmed; nothing has been signed at that point.
#pragma once

#include <string>

#include "dmp/result.hpp"

namespace dmp::cli {

// "<question> [y/N] "; anything but "y"/"Y"/"yes" declines. `batch_hint`
// names the flag that skips the question, for the no-terminal message.
Status confirm_yes_no(const std::string& question, const std::string& batch_hint);

// For what cannot be undone: the operator must type `expected` exactly
// (a key fingerprint), which a reflexive "y" cannot do.
Status confirm_by_typing(const std::string& prompt, const std::string& expected,
                         const std::string& batch_hint);

}  // namespace dmp::cli
