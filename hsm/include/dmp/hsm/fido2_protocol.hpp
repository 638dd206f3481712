// The operations dmp-sign asks of dmp-sign-fido2, on the pipe protocol of
// helper_protocol.hpp. The helper holds no key material: it receives
// credential ids, salts and the PIN, and returns credential ids and
// hmac-secret outputs. The seed is wrapped and unwrapped by dmp-sign alone.
//
//   list     (kind 0x01)  -> ok: kTagDevices
//   enroll   (kind 0x02)  device?, rp id, flags, pin?, salt
//                         -> ok: credential id, hmac-secret output, product
//                         (makes a credential with the hmac-secret extension,
//                         then one assertion for the salt: two touches)
//   unwrap   (kind 0x03)  device?, rp id, flags, pin?, slots
//                         -> ok: slot index, hmac-secret output
//                         (finds the first slot whose credential the token
//                         holds, by a silent probe without user presence,
//                         then asserts it with the slot's salt)
//
// `flags` is the key file's slot flags byte (fido2_key_format.hpp): PIN
// (user verification) and touch (user presence). hmac-secret outputs differ
// with and without user verification, so the helper asserts exactly as
// enrolled. Without `device` the helper uses the only FIDO2 token present,
// or for unwrap, every token present in turn.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "dmp/hsm/helper_protocol.hpp"
#include "dmp/result.hpp"

namespace dmp::hsm::fido2 {

inline constexpr std::uint8_t kKindList = 0x01;
inline constexpr std::uint8_t kKindEnroll = 0x02;
inline constexpr std::uint8_t kKindUnwrap = 0x03;

// Request tags (enroll, unwrap).
inline constexpr std::uint8_t kTagDevice = 0x01;  // device path from `list`
inline constexpr std::uint8_t kTagRpId = 0x02;
inline constexpr std::uint8_t kTagFlags = 0x03;  // 1 byte
inline constexpr std::uint8_t kTagPin = 0x04;    // UTF-8, 4..63 bytes (CTAP2)
inline constexpr std::uint8_t kTagSalt = 0x05;   // enroll: 32 bytes
inline constexpr std::uint8_t kTagSlots = 0x06;  // unwrap: packed, see pack_slots

// Reply tags.
inline constexpr std::uint8_t kTagDevices = 0x01;       // list: "path\tproduct\n" per token
inline constexpr std::uint8_t kTagCredentialId = 0x01;  // enroll
inline constexpr std::uint8_t kTagSlotIndex = 0x01;     // unwrap: 1 byte
inline constexpr std::uint8_t kTagHmacSecret = 0x02;    // enroll, unwrap: 32 bytes
inline constexpr std::uint8_t kTagProduct = 0x03;       // enroll: the token's product name

// Shared with the key file format (signer/keyfile/fido2_key_format.hpp),
// which stores these values: one definition for both sides of the pipe.
inline constexpr std::size_t kSaltLen = 32;               // hmac-secret salt1
inline constexpr std::size_t kHmacSecretLen = 32;         // hmac-secret output
inline constexpr std::size_t kMaxCredentialIdLen = 1023;  // CTAP2's limit
inline constexpr std::size_t kMaxSlots = 8;               // tokens per key file
// The slot flags byte: how a credential was enrolled and must be asserted.
inline constexpr std::uint8_t kFlagUserVerification = 0x01;  // PIN
inline constexpr std::uint8_t kFlagUserPresence = 0x02;      // touch
inline constexpr std::size_t kMinPinLen = 4;
inline constexpr std::size_t kMaxPinLen = 63;

struct SlotRef {
  std::vector<std::uint8_t> credential_id;
  std::vector<std::uint8_t> salt;
};

// Slots on the wire: count (1), then per slot credential id length (2, BE),
// credential id, salt (32). Unpacking applies the limits above.
std::vector<std::uint8_t> pack_slots(std::span<const SlotRef> slots);
Result<std::vector<SlotRef>> unpack_slots(std::span<const std::uint8_t> bytes);

}  // namespace dmp::hsm::fido2
