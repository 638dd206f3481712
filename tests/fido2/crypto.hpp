// OpenSSL 3 wrappers for the soft authenticator: hashes, AES, P-256. Nothing
// here is a primitive of its own; failures come back as empty optionals.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace dmp::soft_fido2 {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

Bytes random_bytes(size_t n);
Bytes sha256(ByteView data);
Bytes hmac_sha256(ByteView key, ByteView data);
// Constant-time equality (sizes must match too).
bool equal_ct(ByteView a, ByteView b);

// AES-256-CBC with a zero IV and no padding, as PIN protocol 1 uses it; data
// must be a whole number of blocks.
std::optional<Bytes> aes256_cbc(ByteView key, ByteView data, bool encrypt);
// AES-256-GCM: seal returns ciphertext || 16-byte tag; open checks the tag.
Bytes aes256_gcm_seal(ByteView key, ByteView nonce, ByteView aad, ByteView plain);
std::optional<Bytes> aes256_gcm_open(ByteView key, ByteView nonce, ByteView aad, ByteView sealed);

// A P-256 key: ECDH for the PIN protocol, ECDSA (ES256) for credentials.
class P256Key {
 public:
  static P256Key generate();
  static std::optional<P256Key> from_private(ByteView scalar);
  static std::optional<P256Key> from_public(ByteView x, ByteView y);

  Bytes private_scalar() const;  // 32 bytes, big-endian
  Bytes x() const;
  Bytes y() const;
  // The x coordinate of our private key times the peer's point.
  std::optional<Bytes> ecdh_x(const P256Key& peer) const;
  // DER-encoded ECDSA signature over SHA-256(message).
  Bytes sign(ByteView message) const;

 private:
  struct Free {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
  };
  explicit P256Key(EVP_PKEY* key) : key_(key) {}
  Bytes public_point() const;  // 04 || x || y
  std::unique_ptr<EVP_PKEY, Free> key_;
};

}  // namespace dmp::soft_fido2
