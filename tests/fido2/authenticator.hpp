// The CTAP2 command layer: authenticatorGetInfo, MakeCredential (ES256,
// hmac-secret, non-resident), GetAssertion (allowList, up, pinAuth,
// hmac-secret) and ClientPIN (protocol 1). One message in, one reply out; the
// token's state is read from its file for every command and written back
// when a command changed it.
#pragma once

#include <filesystem>
#include <functional>

#include "cbor_util.hpp"
#include "ctap2.hpp"
#include "pin_protocol.hpp"
#include "token_state.hpp"

namespace dmp::soft_fido2 {

class Authenticator {
 public:
  // Called when the token starts waiting for a touch (CTAPHID sends KEEPALIVE).
  using WaitingForUser = std::function<void()>;

  explicit Authenticator(std::filesystem::path state_file) : state_file_(std::move(state_file)) {}

  // A CTAPHID_CBOR payload (command byte, CBOR map) to status byte + CBOR map.
  Bytes handle(ByteView message, const WaitingForUser& waiting);
  // Forgets what a real token forgets when unplugged: PIN session state.
  void power_cycle() { pin_ = PinSession(); }

 private:
  Reply dispatch(uint8_t command, const cbor_item_t* request, TokenState& state,
                 const WaitingForUser& waiting);
  Reply get_info(const TokenState& state) const;
  Reply make_credential(const cbor_item_t* request, TokenState& state,
                        const WaitingForUser& waiting);
  Reply get_assertion(const cbor_item_t* request, TokenState& state, const WaitingForUser& waiting);
  // pinAuth/pinProtocol of MakeCredential or GetAssertion: kOk and `uv` set
  // when absent or valid.
  uint8_t check_pin_auth(const cbor_item_t* auth, const cbor_item_t* protocol,
                         ByteView client_data_hash, const TokenState& state, bool& uv) const;
  std::optional<Bytes> hmac_secret(const cbor_item_t* input, ByteView cred_random,
                                   uint8_t& status) const;

  std::filesystem::path state_file_;
  PinSession pin_;
};

}  // namespace dmp::soft_fido2
