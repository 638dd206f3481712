// Process-wide protections for a program that holds secrets.
#pragma once

namespace dmp::cli {

// No core dumps (RLIMIT_CORE 0) and not dumpable/ptrace-attachable by other
// processes of the same user (PR_SET_DUMPABLE 0). Call first thing in main.
void harden_process() noexcept;

}  // namespace dmp::cli
