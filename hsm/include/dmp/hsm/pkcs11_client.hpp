// dmp-sign's side of the PKCS#11 helper: each call starts dmp-sign-pkcs11,
// sends one request of pkcs11_protocol.hpp and checks the reply's shape.
// Pkcs11Key is the SigningKey of a key that lives on a token: sign() asks
// the helper, and checks that the token signed with the key that was
// reviewed (the pipeline then verifies the signature itself).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dmp/hsm/pkcs11_protocol.hpp"
#include "dmp/hsm/secret_buffer.hpp"
#include "dmp/hsm/signing_key.hpp"
#include "dmp/result.hpp"

namespace dmp::hsm::pkcs11 {

// Where a key is: the helper, the module (an absolute path) and the
// attributes of an RFC 7512 URI that select the token and the key.
struct KeyLocation {
  std::string helper;
  std::string module;
  std::optional<std::string> token, manufacturer, serial, model, object;
  std::optional<std::vector<std::uint8_t>> id;
};

struct KeyDetails {
  PublicKey public_key{};
  std::vector<std::uint8_t> id;
  std::string label;
};

struct ListedSlot {
  std::string slot, description, token, manufacturer, model, serial;  // token empty: none
};
struct ListedKey {
  std::string slot, label, id_hex, public_key_hex;
};
struct Listing {
  std::vector<ListedSlot> slots;
  std::vector<ListedKey> keys;
};

Result<Listing> list(const std::string& helper, const std::string& module);
// A new Ed25519 key pair on the token; `location` must name object and id.
Result<KeyDetails> keygen(const KeyLocation& location, const SecretBuffer& pin);
// The public key; `pin` may be null (public keys are public objects on
// the tokens we know; a token that hides them needs the PIN).
Result<KeyDetails> pubkey(const KeyLocation& location, const SecretBuffer* pin);

class Pkcs11Key final : public SigningKey {
 public:
  Pkcs11Key(KeyLocation location, SecretBuffer pin, const PublicKey& public_key,
            std::string description);
  const PublicKey& public_key() const noexcept override { return public_key_; }
  // key_mismatch when the token signs with another key than public_key().
  Result<Signature> sign(std::span<const std::uint8_t> message) override;
  std::string describe() const override { return description_; }

 private:
  KeyLocation location_;
  SecretBuffer pin_;
  PublicKey public_key_{};
  std::string description_;
};

}  // namespace dmp::hsm::pkcs11
