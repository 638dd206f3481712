// Where a signing ceremony may write, decided before anything is signed.
//
// An output that would replace the key file, a passphrase or PIN file, an
// input, or anything in the state directory (the ledger, its head), or that
// is not a regular file (a FIFO, a device, a directory, a symlink), or that
// sits in a missing or unwritable directory, is refused here: while nothing
// is signed a refusal costs nothing, afterwards it burns a seq.
#pragma once

#include <string>
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

}  // namespace dmp::cli
