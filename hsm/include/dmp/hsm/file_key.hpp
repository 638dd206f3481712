// The in-process backend: an Ed25519 key whose 32-byte seed was unlocked
// from an encrypted key file (or imported) and lives in guarded memory.
#pragma once

#include <string>

#include "dmp/hsm/secret_buffer.hpp"
#include "dmp/hsm/signing_key.hpp"

namespace dmp::hsm {

class SeedKey final : public SigningKey {
 public:
  // `seed` must be 32 bytes (RFC 8032 seed); it is expanded once into the
  // libsodium secret key, which is kept read-protected between signatures.
  SeedKey(SecretBuffer seed, std::string description);

  const PublicKey& public_key() const noexcept override { return public_key_; }
  Result<Signature> sign(std::span<const std::uint8_t> message) override;
  std::string describe() const override { return description_; }

  // The seed itself, for re-encryption (passwd) and wrapping (FIDO2 enrolment).
  const SecretBuffer& seed() const noexcept { return seed_; }

 private:
  SecretBuffer seed_;
  SecretBuffer secret_key_;  // 64 bytes, PROT_NONE except while signing
  PublicKey public_key_{};
  std::string description_;
};

// Ed25519 public key of a raw seed, without keeping anything.
PublicKey public_key_of_seed(const SecretBuffer& seed);

// §6.1: the Ed25519 seed of a DMPCrypto (X25519-style) seed,
// SHA-256(x || "DMP-v1-Ed25519-signing-key").
SecretBuffer ed25519_seed_from_x25519_seed(const SecretBuffer& x25519_seed);

}  // namespace dmp::hsm
