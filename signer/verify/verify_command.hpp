// dmp-verify's command: turns the command-line values into settings, then
// verifies the inputs on -j threads (read, verify, print in the order given,
// drop: memory does not grow with the number of files; see ordered_jobs.hpp)
// and maps the verdicts to one exit code, the same for every -j.
//
// Output: plain lines or JSON lines on stdout (see report.hpp), nothing with
// --quiet. Usage errors and unreadable inputs get one line on stderr,
// "dmp-verify: ...".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dmp::cli {

// Exit codes. When several apply, the highest-precedence one wins:
// usage/I-O error (2) > some invalid (1) > some expiring (3) > all valid (0).
inline constexpr int kExitAllValid = 0;
inline constexpr int kExitSomeInvalid = 1;
inline constexpr int kExitUsageOrIo = 2;
inline constexpr int kExitExpiring = 3;

// An input file is read up to this many bytes; a larger one is invalid
// (too_long) without being read further. A wire is at most 1200 bytes and a
// zone record at most dmp::kMaxZoneTextLen (16 KiB).
inline constexpr std::size_t kMaxInputBytes = 64 * 1024;
// Trust and public-key files are small; anything bigger is a mistake.
inline constexpr std::size_t kMaxKeyFileBytes = 1024 * 1024;
// --warn-expiring is at most 100 years, so DAYS * 86400 cannot overflow.
inline constexpr std::uint64_t kMaxWarnDays = 36'500;
// -j is at most this many threads.
inline constexpr std::uint64_t kMaxJobs = 256;

// The command line as typed (main.cpp fills it with CLI11); every value is
// still text, validated by run_verify.
struct VerifyRequest {
  std::vector<std::string> files;  // "-" is standard input
  std::optional<std::string> pubkey;
  std::optional<std::string> pubkey_file;
  std::optional<std::string> trust_file;
  std::optional<std::string> name;
  std::optional<std::string> now;
  std::optional<std::string> min_seq;
  std::optional<std::string> warn_expiring;
  std::optional<std::string> max_age;  // revocations: refuse ts older than SECONDS
  std::optional<std::string> record;   // the Nth DMP record of an input holding several
  std::optional<std::string> jobs;     // -j N threads; default: the online cores
  bool strict = false;
  bool json = false;
  bool quiet = false;
};

// Runs the whole command and returns the exit code. Does not throw for bad
// input (errors are values); may throw std::bad_alloc, which main catches.
int run_verify(const VerifyRequest& request);

}  // namespace dmp::cli
