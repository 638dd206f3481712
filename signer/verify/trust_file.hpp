// Pinned keys for dmp-verify: the --trust file format, the --pubkey-file
// format, and the store that answers "which keys may sign this record?".
// Parsing only (text in, values out); the caller reads the files.
//
// Trust file (--trust), UTF-8/ASCII text, one pin per line:
//
//     # comment; blank lines are ignored, '#' also ends a line early
//     cluster    mesh.example.com   2ec2785b...(64 hex digits)
//     bootstrap  example.com        e573c9bb...
//
//   - fields are separated by spaces or tabs; CRLF line ends are tolerated;
//   - <type> is "cluster" (a ClusterManifest, name = cluster_name) or
//     "bootstrap" (a BootstrapRecord, name = user_domain);
//   - <name> must pass the DNS-name rule (spec §1.5); it is normalised by
//     stripping one trailing dot and ASCII-lower-casing, so "Mesh.Example.COM."
//     and "mesh.example.com" are the same pin;
//   - <key> is the Ed25519 public key, 64 hex digits in either case; keys on
//     the low-order blocklist (§1.2.1) are refused since they can never verify;
//   - several lines may pin different keys for one (type, name), e.g. during
//     a key rotation: a record is valid if any of them verifies it.
//
// Public-key file (--pubkey-file): either the bare 64-hex key with optional
// surrounding whitespace (e.g. `openssl`-style output with a newline), or the
// reference generator's `key=value` file (§6.3), from which only
// `operator_public_hex=` is taken. Every other key, including
// operator_seed_hex, is skipped without being decoded: a verifier has no use
// for the seed and should not hold it in memory.
#pragma once

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dmp/records.hpp"
#include "dmp/result.hpp"

namespace dmp::cli {

// The name form pins are stored and looked up under: one trailing dot
// stripped, ASCII lower case (DNS names compare case-insensitively).
std::string normalize_pin_name(std::string_view name);

class TrustStore {
 public:
  // `name` in any case, with or without one trailing dot. Adding a key that
  // is already pinned for (type, name) is a no-op.
  void add(RecordType type, std::string_view name, const PublicKey& key);
  // Keys pinned for (type, name), in file order; empty when there is none.
  std::span<const PublicKey> keys_for(RecordType type, std::string_view name) const;
  std::size_t pin_count() const noexcept { return pin_count_; }

 private:
  std::map<std::pair<RecordType, std::string>, std::vector<PublicKey>> pins_;
  std::size_t pin_count_ = 0;
};

// Refuses a key that can never verify anything (low-order, §1.2.1), so a
// typo'd pin is a usage error instead of a batch of bad_key verdicts.
Status check_pinnable_key(const PublicKey& key, std::string_view where);

// Parses a whole trust file. `source` (the path) prefixes error messages as
// "<source>:<line>: <rule>". A file without any pin is an error.
Result<TrustStore> parse_trust_text(std::string_view text, std::string_view source);

// Parses a --pubkey-file's content (see the format above). Errors name
// "<source>" or "<source>:<line>".
Result<PublicKey> parse_pubkey_file_text(std::string_view text, std::string_view source);

}  // namespace dmp::cli
