// The crash points of signer/common/private_file.cpp's atomic replace (key
// files in passwd and fido2 add-token, the ledger head), in the order they
// are reached, for the SIGKILL tests that run dmp-sign-faulty.
#pragma once

#include <string>

namespace dmp::test {

inline const char* const kReplaceSteps[] = {"replace_temp_created", "replace_temp_written",
                                            "replace_temp_synced", "replace_renamed",
                                            "replace_dir_synced"};

// From these steps on, the new file is in place.
inline bool replaced_by(const std::string& step) {
  return step == "replace_renamed" || step == "replace_dir_synced";
}

}  // namespace dmp::test
