// CTAP2 command and status codes the soft authenticator uses, and the shape
// of a command's result: a status byte and, on success, a CBOR map.
#pragma once

#include <cstdint>

#include "crypto.hpp"

namespace dmp::soft_fido2 {

namespace cmd {
inline constexpr uint8_t kMakeCredential = 0x01;
inline constexpr uint8_t kGetAssertion = 0x02;
inline constexpr uint8_t kGetInfo = 0x04;
inline constexpr uint8_t kClientPin = 0x06;
}  // namespace cmd

namespace status {
inline constexpr uint8_t kOk = 0x00;
inline constexpr uint8_t kInvalidCommand = 0x01;
inline constexpr uint8_t kInvalidParameter = 0x02;
inline constexpr uint8_t kInvalidLength = 0x03;
inline constexpr uint8_t kCborUnexpectedType = 0x11;
inline constexpr uint8_t kInvalidCbor = 0x12;
inline constexpr uint8_t kMissingParameter = 0x14;
inline constexpr uint8_t kCredentialExcluded = 0x19;
inline constexpr uint8_t kUnsupportedAlgorithm = 0x26;
inline constexpr uint8_t kOperationDenied = 0x27;
inline constexpr uint8_t kUnsupportedOption = 0x2b;
inline constexpr uint8_t kInvalidOption = 0x2c;
inline constexpr uint8_t kNoCredentials = 0x2e;
inline constexpr uint8_t kUserActionTimeout = 0x2f;
inline constexpr uint8_t kPinInvalid = 0x31;
inline constexpr uint8_t kPinBlocked = 0x32;
inline constexpr uint8_t kPinAuthInvalid = 0x33;
inline constexpr uint8_t kPinAuthBlocked = 0x34;
inline constexpr uint8_t kPinNotSet = 0x35;
inline constexpr uint8_t kPinRequired = 0x36;
inline constexpr uint8_t kPinPolicyViolation = 0x37;
inline constexpr uint8_t kOther = 0x7f;
}  // namespace status

struct Reply {
  uint8_t status = status::kOk;
  Bytes cbor;  // the encoded response map; empty on error
};

inline Reply error(uint8_t code) {
  return {code, {}};
}

}  // namespace dmp::soft_fido2
