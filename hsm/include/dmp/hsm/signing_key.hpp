// The one key interface every backend implements (encrypted file, FIDO2,
// PKCS#11). It knows keys and nothing about records: the signing pipeline
// hands it the exact body bytes and gets a plain Ed25519 signature back.
#pragma once

#include <span>
#include <string>

#include "dmp/records.hpp"
#include "dmp/result.hpp"

namespace dmp::hsm {

class SigningKey {
 public:
  virtual ~SigningKey() = default;

  virtual const PublicKey& public_key() const noexcept = 0;
  // Pure Ed25519 (RFC 8032) over `message`, no pre-hash.
  virtual Result<Signature> sign(std::span<const std::uint8_t> message) = 0;
  // One line for review screens and logs, e.g. "key file operator.key
  // (comment: prod 2026)". Never contains secret material.
  virtual std::string describe() const = 0;
};

// "dmp1:abcd-ef01-2345-6789": 16 hex digits of SHA-256(public key), for
// comparing keys by eye and read aloud.
std::string fingerprint(const PublicKey& key);

}  // namespace dmp::hsm
