// The operations dmp-sign asks of dmp-sign-pkcs11, on the pipe protocol of
// helper_protocol.hpp. The private key never leaves the token: the helper
// receives the module path, which key (token and object attributes of the
// RFC 7512 URI, already parsed by dmp-sign), the PIN and the body to sign,
// and returns public keys and signatures only.
//
//   list    (kind 0x01)  module                -> ok: kTagListing
//   keygen  (kind 0x02)  module, token attrs, object label, id, pin
//                        -> ok: public key, id, label
//   pubkey  (kind 0x03)  module, token attrs, object label?, id?, pin?
//                        -> ok: public key, id, label
//   sign    (kind 0x04)  module, token attrs, object label?, id?, pin, body
//                        -> ok: public key, id, label, signature
//
// The token attributes select exactly one token among the module's slots
// with a token present; object label and id select exactly one Ed25519 key
// on it (CKK_EC_EDWARDS). Anything ambiguous is refused, never guessed.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dmp::hsm::pkcs11 {

inline constexpr std::uint8_t kKindList = 0x01;
inline constexpr std::uint8_t kKindKeygen = 0x02;
inline constexpr std::uint8_t kKindPubkey = 0x03;
inline constexpr std::uint8_t kKindSign = 0x04;

// Request tags.
inline constexpr std::uint8_t kTagModule = 0x01;  // absolute path of the module (.so)
inline constexpr std::uint8_t kTagToken = 0x02;   // CK_TOKEN_INFO label
inline constexpr std::uint8_t kTagManufacturer = 0x03;
inline constexpr std::uint8_t kTagSerial = 0x04;
inline constexpr std::uint8_t kTagModel = 0x05;
inline constexpr std::uint8_t kTagObject = 0x06;  // CKA_LABEL
inline constexpr std::uint8_t kTagId = 0x07;      // CKA_ID bytes
inline constexpr std::uint8_t kTagPin = 0x08;     // the user PIN
inline constexpr std::uint8_t kTagBody = 0x09;    // sign: the bytes to sign

// Reply tags.
inline constexpr std::uint8_t kTagListing = 0x01;    // list: lines, see below
inline constexpr std::uint8_t kTagPublicKey = 0x01;  // 32 bytes
inline constexpr std::uint8_t kTagKeyId = 0x02;
inline constexpr std::uint8_t kTagKeyLabel = 0x03;
inline constexpr std::uint8_t kTagSignature = 0x04;  // 64 bytes

// Limits on what crosses the pipe. Token-info fields are at most 32 bytes
// (CK_TOKEN_INFO); labels and ids are small on every token we know.
inline constexpr std::size_t kMaxModulePathLen = 4096;
inline constexpr std::size_t kMaxTokenFieldLen = 32;
inline constexpr std::size_t kMaxLabelLen = 255;
inline constexpr std::size_t kMaxIdLen = 255;
inline constexpr std::size_t kMinPinLen = 1;
inline constexpr std::size_t kMaxPinLen = 255;
inline constexpr std::size_t kMaxBodyLen = 4096;
inline constexpr std::size_t kPublicKeyLen = 32;
inline constexpr std::size_t kSignatureLen = 64;

// The list reply: one line per slot and per Ed25519 key, fields separated
// by tabs (the helper replaces tabs, newlines and other control bytes in
// token-supplied text with '?'):
//   slot  <slot id>  <slot description>  <token label or empty: no token>
//         <manufacturer>  <model>  <serial>
//   key   <slot id>  <key label>  <id as hex>  <public key as hex or empty>
inline constexpr char kListSlot[] = "slot";
inline constexpr char kListKey[] = "key";

}  // namespace dmp::hsm::pkcs11
