// dmp-sign's side of the FIDO2 helper: each call starts dmp-sign-fido2,
// sends one request of fido2_protocol.hpp and checks the reply's shape. The
// helper never sees the seed; what comes back (an hmac-secret output) goes
// straight into guarded memory.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dmp/hsm/fido2_protocol.hpp"
#include "dmp/hsm/secret_buffer.hpp"
#include "dmp/result.hpp"

namespace dmp::hsm::fido2 {

struct TokenInfo {
  std::string path;
  std::string product;
};

// What every token operation needs. `pin` may be null when the slot flags
// do not ask for user verification.
struct TokenRequest {
  std::string helper;  // path of dmp-sign-fido2
  std::string device;  // empty: the helper chooses
  std::string rp_id;
  std::uint8_t flags = 0;
  const SecretBuffer* pin = nullptr;
};

struct Enrolment {
  std::vector<std::uint8_t> credential_id;
  SecretBuffer hmac_secret;
  std::string product;
};

struct Unwrapped {
  std::size_t slot = 0;  // index into the slots given
  SecretBuffer hmac_secret;
};

Result<std::vector<TokenInfo>> list_tokens(const std::string& helper);
Result<Enrolment> enroll(const TokenRequest& request, std::span<const std::uint8_t> salt);
Result<Unwrapped> unwrap(const TokenRequest& request, std::span<const SlotRef> slots);

}  // namespace dmp::hsm::fido2
