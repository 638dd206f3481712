// The main job: unsigned record(s) in, reviewed, seq-enforced, wire(s) out.
// Order of operations (design.md): validate -> lock ledger -> check
// high-water (and --previous) -> review/confirm -> unlock key -> sign ->
// self-verify -> append ledger entry (fsync) -> write wire atomically ->
// release lock. Each step is one call; none reaches back.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/passphrase.hpp"
#include "input/record_reader.hpp"
#include "input/unsigned_record.hpp"
#include "keyfile/key_access.hpp"
#include "output/wire_formats.hpp"

namespace dmp::cli {

struct SignRequest {
  std::string source;  // input file, for messages
  input::UnsignedRecord input;
  std::optional<std::string> previous;         // --previous / renew --from: published record file
  std::optional<std::size_t> previous_record;  // --record N: which DMP record of it
  // The bytes of `previous` when the command already read them (renew reads
  // --from once: a second read could see other bytes, or none from stdin).
  std::optional<std::string> previous_bytes;
  // The option that named `previous`, for messages: "--previous", or
  // "--from" for renew.
  std::string previous_option = "--previous";
};

struct SignOptions {
  std::string key_path;
  keyfile::KeyAccess key_access;  // passphrase, or FIDO2 helper, device and PIN
  std::string state_dir;
  std::chrono::milliseconds lock_wait{10000};
  std::optional<std::uint64_t> now;  // --now; else the system clock
  bool yes = false;
  bool quiet = false;  // with yes: no review; one line per record, warning and refusal
  bool allow_expired = false;
  bool allow_unverified_previous = false;
  bool first = false;             // --first: no record for the name was ever published
  bool allow_key_change = false;  // --allow-key-change
  bool allow_max_seq = false;     // --allow-max-seq
  output::Format format = output::Format::wire;
  std::uint32_t ttl = 3600;
  std::optional<std::string> out;      // single record: file or "-"
  std::optional<std::string> out_dir;  // batch
  std::uint64_t seq_jump_warning = 1000;
};

// Signs every request that passes its checks; reports each on stderr.
// Returns the first failure (after the others were handled) or ok.
Status run_sign(const std::vector<SignRequest>& requests, const SignOptions& options);

// Time policy: what verifiers refuse (dmp/expiry.hpp, §1.6) is refused here.
// Reason::expiry_policy; an expired exp passes only with `allow_expired`
// true (nullopt: the command has no --allow-expired to offer).
Status check_expiry_policy(std::uint64_t exp, std::uint64_t now, std::optional<bool> allow_expired);

// Reads a published record (a wire, zone text, `dig` or `dig +short`
// output; input/record_reader) from `path`, or standard input for "-": at
// most 64 KiB. `choose` picks one of several DMP records (--record N).
Result<RecordInput> read_published_record(const std::string& path,
                                          std::optional<std::size_t> choose);
// The same over bytes already read from `path`. Choosing one of several DMP
// records is refused when another of the same type and name is newer: the
// published floor is the newest record, not the one picked.
Result<RecordInput> published_record_of(const std::string& path, std::string_view bytes,
                                        std::optional<std::size_t> choose);
// At most 64 KiB from `path`, or standard input for "-".
Result<std::string> read_published_bytes(const std::string& path);

}  // namespace dmp::cli
