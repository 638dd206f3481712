// Where a signing ceremony may write, decided before anything is signed.
//
// An output that would replace the key file, a passphrase or PIN file, an
// input, or anything in the state directory (the ledger, its head), or that
// is not a regular file (a FIFO, a device, a directory, a symlink), or that
// sits in a missing or unwritable directory, is refused here: while nothing
// is signed a refusal costs nothing, afterwards it burns a seq.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dmp/result.hpp"

namespace dmp::cli {

// A file the ceremony reads and must never write over.
struct ProtectedFile {
  std::string path;
  std::string what;  // "the key file (--key)", "an input file", ...
};

struct OutputTargets {
  std::vector<std::string> outputs;  // files; "" or "-" is standard output
  std::vector<ProtectedFile> protected_files;
  std::string state_dir;
};

// Reason::output_refused naming the target, what it is, and the rule.
Status preflight_outputs(const OutputTargets& targets);

// What the first kGuardedHeadLen bytes of a file say it is, when it is a file
// no output replaces and no QR code shows: a DMP key file, a ledger, the
// reference generator's seed file, and with `bare_hex` 64 hex digits alone
// (a bare seed, or a public key: an output replaces neither, but a public
// key may well be shown as a QR code).
inline constexpr std::size_t kGuardedHeadLen = 4096;
std::optional<std::string> guarded_text(std::string_view head, bool bare_hex);

}  // namespace dmp::cli
