// FIDO2-wrapped operator key file, format v1: layout, limits and the pure
// codec. The Ed25519 seed is wrapped once per enrolled token, each time under
// a key derived from that token's hmac-secret output (fido2_key_crypto.hpp),
// so a primary and a backup YubiKey each unlock the same key. No crypto, no
// I/O here; SECURITY.md documents the layout for auditors.
//
//   common header
//   off  size  field
//   0    8     magic "DMPFIDO2"
//   8    1     version = 1
//   9    32    Ed25519 public key (in clear: `pubkey` needs no token)
//   41   8     creation time, unix seconds (u64 BE)
//   49   2     comment length n (u16 BE, <= 1024; the key file comment rule)
//   51   n     comment
//   51+n 1     token count k (1..8)
//   then k token slots, each:
//        1     rp id length r (1..255)
//        r     relying-party id (printable ASCII), "dmp-signer" by default
//        2     credential id length c (u16 BE, 1..1023)
//        c     credential id, as the token returned it
//        32    hmac-secret salt (random per slot)
//        1     flags: bit 0 user verification (PIN) asserted, bit 1 user
//              presence (touch) required; other bits must be zero
//        1     label length l (0..255)
//        l     label (UTF-8, no control characters), e.g. "YubiKey 5C backup"
//        24    nonce (XChaCha20-Poly1305-IETF)
//        48    wrapped 32-byte seed + 16-byte tag
//
// A slot's associated data is the common header (bytes [0, 51+n)) followed by
// the slot's own bytes before its nonce: every field that decides how the
// slot is unlocked or what key it yields is authenticated, while adding or
// removing another token's slot (the count byte) does not disturb it. A slot
// added by someone without the seed can only wrap a different seed, which
// unwrap refuses because its public key differs from the header's.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dmp/hsm/fido2_protocol.hpp"
#include "dmp/records.hpp"
#include "dmp/result.hpp"

namespace dmp::keyfile::fido2 {

inline constexpr std::string_view kMagic = "DMPFIDO2";
inline constexpr std::uint8_t kVersion = 1;
inline constexpr std::string_view kArmorLabel = "DMP FIDO2 SIGNING KEY";
inline constexpr std::string_view kDefaultRpId = "dmp-signer";
inline constexpr std::size_t kCommonFixedLen = 51;
inline constexpr std::size_t kMaxTokens = hsm::fido2::kMaxSlots;
inline constexpr std::size_t kMaxRpIdLen = 255;
inline constexpr std::size_t kMaxCredentialIdLen = hsm::fido2::kMaxCredentialIdLen;
inline constexpr std::size_t kMaxLabelLen = 255;
inline constexpr std::size_t kSaltLen = hsm::fido2::kSaltLen;
inline constexpr std::size_t kNonceLen = 24;
inline constexpr std::size_t kWrappedSeedLen = 32 + 16;
inline constexpr std::uint8_t kFlagUserVerification = hsm::fido2::kFlagUserVerification;
inline constexpr std::uint8_t kFlagUserPresence = hsm::fido2::kFlagUserPresence;
// Eight slots of the largest size fit; base64 and line breaks add a third.
inline constexpr std::size_t kMaxArmoredLen = 32 * 1024;

struct TokenSlot {
  std::string rp_id;
  Bytes credential_id;
  std::array<std::uint8_t, kSaltLen> salt{};
  std::uint8_t flags = 0;
  std::string label;
  std::array<std::uint8_t, kNonceLen> nonce{};
  std::array<std::uint8_t, kWrappedSeedLen> wrapped_seed{};

  bool operator==(const TokenSlot&) const = default;
};

struct Fido2KeyFile {
  PublicKey public_key{};
  std::uint64_t created = 0;
  std::string comment;
  std::vector<TokenSlot> tokens;

  bool operator==(const Fido2KeyFile&) const = default;
};

// The rules of one slot's fields (everything but nonce and wrapped seed).
Status check_slot(const TokenSlot& slot);

// What a slot's AEAD authenticates: common header || slot bytes before nonce.
Bytes slot_associated_data(const Fido2KeyFile& file, const TokenSlot& slot);

// encode refuses (Reason::invalid_field) a file that decode would refuse.
Result<Bytes> encode_fido2_key_file(const Fido2KeyFile& file);
Result<Fido2KeyFile> decode_fido2_key_file(std::span<const std::uint8_t> bytes);

// The armoured text ("-----BEGIN DMP FIDO2 SIGNING KEY-----").
Result<std::string> format_fido2_key_file_text(const Fido2KeyFile& file);
Result<Fido2KeyFile> parse_fido2_key_file_text(std::string_view text);
bool looks_like_fido2_key_file(std::string_view text);

}  // namespace dmp::keyfile::fido2
