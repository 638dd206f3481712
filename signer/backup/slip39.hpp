// SLIP-39, Shamir's Secret-Sharing for Mnemonic Codes
// (github.com/satoshilabs/slips/blob/master/slip-0039.md), as python-shamir-mnemonic implements
// it, extendable backups included: a master secret is encrypted with a passphrase (a four-round
// Feistel network over PBKDF2-HMAC-SHA256), split into group shares and each group share into
// member shares (Shamir over GF(256), the secret at x = 255 and its digest at x = 254), and every
// member share is written as a mnemonic of 20 words or more:
//
//   id 15 bits | ext 1 | e 4 | GI 4 | Gt 4 | g 4 | I 4 | t 4 | padded share value | RS1024 30
//   (ext: extendable flag, e: iteration exponent, GI: group index, Gt/g: group threshold − 1 and
//   group count − 1, I: member index, t: member threshold − 1)
//
// Pure functions over byte spans and text: no I/O, no terminal, no state but the word list.
// Everything secret (master secrets, share values, mnemonics, the Feistel halves and PBKDF2
// output) is held in hsm::SecretBuffer, never in std::string or std::vector.
//
// Refusals: a mnemonic or a set of shares that breaks a rule of the standard is
// Reason::key_format (like any other seed backup we cannot read); a split request or a share to
// encode with a parameter out of range, and a passphrase that is not printable ASCII, are
// Reason::invalid_field. Messages name the share ("share 3", counted from 1 in the order given),
// the word ("word 5") or the parameter, never a word of a mnemonic or a byte of a secret, and
// number groups and members from 1 as their holders do (the mnemonic stores index − 1).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "dmp/hsm/secret_buffer.hpp"
#include "dmp/result.hpp"

namespace dmp::backup::slip39 {

// ---- parameters ---------------------------------------------------------------------------------

inline constexpr std::size_t kWordCount = 1024;
inline constexpr int kMaxShareCount = 16;  // groups per set, members per group (4-bit indexes)
inline constexpr int kMaxIterationExponent = 15;
inline constexpr std::size_t kMinSecretLen = 16;  // 128 bits; lengths are also even (16-bit units)
inline constexpr std::size_t kMinMnemonicWords = 20;
// RS1024 guarantees to catch any three wrong words only in codewords of at most 1023 symbols,
// customization string ("shamir_extendable", 17) included; longer input is refused before any
// work, so pasted text cannot make the decoder allocate without bound.
inline constexpr std::size_t kMaxMnemonicWords = 1000;
inline constexpr std::size_t kMaxSecretLen = 1240;  // the longest secret 1000 words hold

// python-shamir-mnemonic's defaults for new shares: extendable backups (the passphrase salt does
// not depend on the identifier, so more shares can later be made for the same secret with the same
// passphrase) and iteration exponent 1 (20000 PBKDF2 iterations in all).
inline constexpr bool kDefaultExtendable = true;
inline constexpr int kDefaultIterationExponent = 1;

// ---- word list ----------------------------------------------------------------------------------

// The 1024 words, in index order (the list SLIP-39 mandates, embedded from slip39_wordlist.inc).
std::span<const std::string_view> wordlist() noexcept;

// The index of `word`, compared ASCII case-insensitively; nullopt for anything else.
std::optional<int> word_index(std::string_view word) noexcept;

// The one word that begins with `prefix` (ASCII case-insensitively), when the prefix has at least
// four letters: every word is unique in its first four, so four letters name at most one word.
// Shorter prefixes and prefixes of no word give nullopt. Typing help for a person entering a
// share; the decoder itself takes whole words only.
std::optional<std::string_view> autocomplete(std::string_view prefix) noexcept;

// ---- RS1024 checksum ----------------------------------------------------------------------------

// The three checksum words for the data words of a share (everything before the checksum), with
// the customization string "shamir_extendable" when `extendable`, else "shamir".
std::array<std::uint16_t, 3> rs1024_checksum(std::span<const std::uint16_t> data, bool extendable);
// True when `words` (data followed by checksum) has a valid checksum.
bool rs1024_verify(std::span<const std::uint16_t> words, bool extendable);

// ---- share mnemonics ----------------------------------------------------------------------------

struct Share {
  std::uint16_t identifier = 0;  // 15 bits, the same in every share of a set
  bool extendable = kDefaultExtendable;
  int iteration_exponent = kDefaultIterationExponent;  // 0..15
  int group_index = 0;                                 // 0..15, the x of the group share
  int group_threshold = 1;                             // 1..16, at most group_count
  int group_count = 1;                                 // 1..16
  int member_index = 0;                                // 0..15, the x of the member share
  int member_threshold = 1;                            // 1..16
  hsm::SecretBuffer value;                             // kMinSecretLen or more bytes, even
};

// A copy of `share`, its value in new guarded memory (Share is move-only).
Share clone(const Share& share);

// A mnemonic: words separated by ASCII white space (any amount, before and after too), each
// compared case-insensitively. Refused (Reason::key_format): no words, more than
// kMaxMnemonicWords, a word not in the list, fewer than kMinMnemonicWords, a word count that holds
// no valid secret length, a checksum that does not match, a group threshold above the group count,
// padding bits that are not zero.
Result<Share> decode_mnemonic(std::string_view mnemonic);

// The share's mnemonic in lower case, words separated by one space. Refused (Reason::invalid_field)
// when a field is out of the range given in Share.
Result<hsm::SecretBuffer> encode_mnemonic(const Share& share);

// ---- Shamir's secret sharing over GF(256) (the spec's SplitSecret and RecoverSecret) ------------

// Fills a buffer with random bytes suitable for keys; tests pass a deterministic one.
using RandomSource = std::function<void(std::span<std::uint8_t>)>;

struct Point {
  int x = 0;
  hsm::SecretBuffer y;
};

// `count` points, x = 0..count−1, any `threshold` of which give back `secret`. Refused
// (invalid_field) unless 0 < threshold <= count <= 16 and the secret's length is at least 16 bytes
// and even. An empty `random` means libsodium's randombytes_buf.
Result<std::vector<Point>> split_secret(int threshold, int count,
                                        std::span<const std::uint8_t> secret,
                                        const RandomSource& random = {});

// The secret from `threshold` points; for threshold 2 and more, Reason::key_format "invalid
// digest" when the digest at x = 254 does not match (points of different splits, or one altered).
// Points with repeated x or of different lengths are refused.
Result<hsm::SecretBuffer> recover_secret(int threshold, std::span<const Point> points);

// ---- encryption of the master secret ------------------------------------------------------------

// The spec's Encrypt(MS, P, e, id) and Decrypt(EMS, P, e, id), with the extendable flag choosing
// the salt: four Feistel rounds of PBKDF2-HMAC-SHA256 ((10000 << e) / 4 iterations each). Refused
// (invalid_field) for an odd length, an exponent outside 0..15, a passphrase that is not printable
// ASCII (code points 32-126, as the spec requires).
Result<hsm::SecretBuffer> encrypt(std::span<const std::uint8_t> master_secret,
                                  std::span<const std::uint8_t> passphrase, int iteration_exponent,
                                  std::uint16_t identifier, bool extendable);
Result<hsm::SecretBuffer> decrypt(std::span<const std::uint8_t> encrypted_master_secret,
                                  std::span<const std::uint8_t> passphrase, int iteration_exponent,
                                  std::uint16_t identifier, bool extendable);

// ---- splitting and combining --------------------------------------------------------------------

struct GroupSpec {
  int member_threshold = 1;
  int member_count = 1;
};

struct SplitOptions {
  bool extendable = kDefaultExtendable;
  int iteration_exponent = kDefaultIterationExponent;
  RandomSource random;  // empty: libsodium's randombytes_buf
};

// The spec's GenerateShares: a random identifier, the encrypted master secret split
// group_threshold-of-groups.size(), each group share split member_threshold-of-member_count.
// Returns the shares group by group. Refused (invalid_field): a master secret shorter than 16
// bytes, odd or longer than kMaxSecretLen; a passphrase that is not printable ASCII; no groups or
// more than 16; a group threshold outside 1..groups; a member threshold outside 1..count or a count
// outside 1..16; a member threshold of 1 with more than one member (the spec's SHOULD, which the
// reference enforces: such shares would differ only in one word and the checksum).
Result<std::vector<std::vector<Share>>> split(std::span<const std::uint8_t> master_secret,
                                              std::span<const std::uint8_t> passphrase,
                                              int group_threshold,
                                              std::span<const GroupSpec> groups,
                                              const SplitOptions& options = {});

// The master secret from exactly group_threshold groups of exactly member_threshold shares each,
// as the spec requires. Refused (key_format), naming the share: an empty set; a share from another
// set (identifier), a mix of extendable flags, iteration exponents, group thresholds, group
// counts or share lengths; member thresholds that differ within a group; a member given twice; too
// few or too many groups, or shares in a group; an invalid digest. A wrong passphrase is not an
// error: it gives another secret, as the spec intends (plausible deniability).
Result<hsm::SecretBuffer> combine(std::span<const Share> shares,
                                  std::span<const std::uint8_t> passphrase);
// As combine, decoding each mnemonic first (a refusal names the share: "share 2: word 7: ...").
Result<hsm::SecretBuffer> combine_mnemonics(std::span<const std::string_view> mnemonics,
                                            std::span<const std::uint8_t> passphrase);

}  // namespace dmp::backup::slip39
