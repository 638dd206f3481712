// PIN protocol 1 (CTAP 2.0 §5.5): the authenticator's side of the ECDH key
// agreement, pinAuth checks, and authenticatorClientPIN's subcommands.
#pragma once

#include <optional>

#include "cbor_util.hpp"
#include "ctap2.hpp"
#include "token_state.hpp"

namespace dmp::soft_fido2 {

// LEFT(HMAC-SHA-256(key, message), 16): pinAuth and saltAuth.
Bytes pin_auth(ByteView key, ByteView message);

// The volatile part of the PIN protocol, which a power cycle resets: the
// key-agreement key, the pinToken and the count of consecutive wrong PINs.
class PinSession {
 public:
  PinSession();

  // Our key-agreement public key as a COSE_Key (ECDH-ES+HKDF-256, P-256).
  Cbor key_agreement() const;
  // SHA-256 of the ECDH x coordinate with the platform's COSE_Key.
  std::optional<Bytes> shared_secret(const cbor_item_t* platform_key) const;
  // pinAuth over clientDataHash with the pinToken (makeCredential, getAssertion).
  bool pin_auth_valid(ByteView client_data_hash, ByteView auth) const;

  // authenticatorClientPIN. May change `state` (PIN, retries); the caller saves it.
  Reply client_pin(const cbor_item_t* request, TokenState& state);

 private:
  Reply get_key_agreement() const;
  Reply set_pin(const cbor_item_t* request, TokenState& state);
  Reply change_pin(const cbor_item_t* request, TokenState& state);
  Reply get_pin_token(const cbor_item_t* request, TokenState& state);
  // Decrements the retries and checks pinHashEnc; a status other than kOk on mismatch.
  uint8_t check_pin_hash(ByteView shared, const cbor_item_t* pin_hash_enc, TokenState& state);

  P256Key key_;
  Bytes pin_token_;
  int consecutive_failures_ = 0;
};

}  // namespace dmp::soft_fido2
