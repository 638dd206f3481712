// dmp-sign's exit codes: one per family of reason, documented in --help and
// README. Reasons become exit codes here and nowhere else.
#pragma once

#include "dmp/result.hpp"

namespace dmp::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitInternal = 1,        // a bug or an unexpected failure
  kExitUsage = 2,           // bad arguments, no terminal to prompt on
  kExitInvalidInput = 3,    // record or field breaks a rule (invalid_field, malformed, too_long...)
  kExitKeyFile = 4,         // key/seed file unreadable, unknown version, KDF bounds, key mismatch
  kExitPassphrase = 5,      // wrong passphrase (or the key file was modified)
  kExitInsecure = 6,        // file readable by others / wrong owner / shared directory
  kExitIo = 7,              // I/O error, or refusing to overwrite an existing file
  kExitResources = 8,       // not enough memory for the KDF
  kExitBadPassphrase = 9,   // empty passphrase, or the confirmation differed
  kExitSeq = 10,            // seq does not strictly increase (ledger or --previous)
  kExitLedger = 11,         // the ledger fails verification: stop and investigate
  kExitLockBusy = 12,       // another dmp-sign is signing with this state directory
  kExitNotConfirmed = 13,   // the operator declined, or no terminal and no --yes
  kExitToken = 14,          // hardware token missing, not enrolled, PIN blocked or not touched
  kExitOutputRefused = 15,  // an output would replace a key, secret, input or state file, is not
                            // a regular file, or its directory is missing or unwritable
  kExitKeyChange = 16,      // the name is known under another key and no rotation links them
  kExitFirstSignature = 17,  // no history for the name: --previous or --first is required
};

inline int exit_code_for(Reason reason) noexcept {
  switch (reason) {
    case Reason::ok:
      return kExitOk;
    case Reason::helper_protocol:  // a helper that garbles its reply is a bug or compromised
      return kExitInternal;
    case Reason::usage:
      return kExitUsage;
    case Reason::key_format:
    case Reason::key_version:
    case Reason::kdf_limits:
    case Reason::key_mismatch:
      return kExitKeyFile;
    case Reason::wrong_passphrase:
      return kExitPassphrase;
    case Reason::insecure_file:
      return kExitInsecure;
    case Reason::io_error:
    case Reason::already_exists:
      return kExitIo;
    case Reason::out_of_memory:
      return kExitResources;
    case Reason::weak_passphrase:
      return kExitBadPassphrase;
    case Reason::seq_not_increasing:
      return kExitSeq;
    case Reason::ledger_corrupt:
      return kExitLedger;
    case Reason::lock_busy:
      return kExitLockBusy;
    case Reason::not_confirmed:
      return kExitNotConfirmed;
    case Reason::output_refused:
      return kExitOutputRefused;
    case Reason::key_change:
      return kExitKeyChange;
    case Reason::first_signature:
      return kExitFirstSignature;
    case Reason::token_unavailable:
    case Reason::token_denied:
      return kExitToken;
    case Reason::expiry_policy:
    case Reason::bad_prefix:
    case Reason::too_long:
    case Reason::bad_base64:
    case Reason::too_short:
    case Reason::bad_key:
    case Reason::bad_signature:
    case Reason::malformed:
    case Reason::expired:
    case Reason::expiry_too_far:
    case Reason::name_mismatch:
    case Reason::non_canonical:
    case Reason::invalid_field:
    case Reason::revocation_stale:  // verifier reasons about an input rotation/revocation
    case Reason::timestamp_in_future:
      return kExitInvalidInput;
  }
  return kExitInternal;
}

inline constexpr const char* kExitCodeHelp =
    "Exit codes: 0 ok, 1 internal error, 2 usage, 3 invalid input, 4 key file refused\n"
    "(format, version, KDF bounds, key mismatch), 5 wrong passphrase, 6 insecure file\n"
    "permissions/owner, 7 I/O error or file exists, 8 not enough memory for the KDF,\n"
    "9 passphrase refused (empty or confirmation differs), 10 seq not increasing,\n"
    "11 ledger fails verification, 12 ledger locked by another signer, 13 not confirmed,\n"
    "14 hardware token missing, not enrolled, PIN blocked or not touched,\n"
    "15 output target refused (a key, secret, input or state file, not a regular file, or\n"
    "a missing or unwritable directory), 16 key change without a rotation linking the keys,\n"
    "17 first signature for a name without --previous or --first.\n"
    "130: interrupted by Ctrl-C (SIGINT; the shell's 128 + 2): the terminal is restored and\n"
    "nothing is half-written (no wire without its ledger entry, no partial output; the next\n"
    "run removes a leftover temporary file).";

}  // namespace dmp::cli
