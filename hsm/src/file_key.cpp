#include "dmp/hsm/file_key.hpp"

#include <sodium.h>

#include <cstdlib>
#include <string_view>
#include <utility>

#include "dmp/encoding.hpp"

namespace dmp::hsm {

SeedKey::SeedKey(SecretBuffer seed, std::string description)
    : seed_(std::move(seed)),
      secret_key_(crypto_sign_SECRETKEYBYTES),
      description_(std::move(description)) {
  if (seed_.size() != crypto_sign_SEEDBYTES) std::abort();  // programming error
  crypto_sign_seed_keypair(public_key_.data(), secret_key_.data(), seed_.data());
  sodium_mprotect_noaccess(secret_key_.data());
  sodium_mprotect_readonly(seed_.data());
}

Result<Signature> SeedKey::sign(std::span<const std::uint8_t> message) {
  Signature signature{};
  sodium_mprotect_readonly(secret_key_.data());
  const int rc = crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(),
                                      secret_key_.data());
  sodium_mprotect_noaccess(secret_key_.data());
  if (rc != 0) return fail(Reason::bad_signature, "signature", "Ed25519 signing failed");
  return signature;
}

PublicKey public_key_of_seed(const SecretBuffer& seed) {
  if (seed.size() != crypto_sign_SEEDBYTES) std::abort();  // programming error, as in SeedKey
  PublicKey public_key{};
  SecretBuffer secret_key(crypto_sign_SECRETKEYBYTES);
  crypto_sign_seed_keypair(public_key.data(), secret_key.data(), seed.data());
  return public_key;
}

SecretBuffer ed25519_seed_from_x25519_seed(const SecretBuffer& x25519_seed) {
  constexpr std::string_view kDomain = "DMP-v1-Ed25519-signing-key";
  SecretBuffer seed(crypto_sign_SEEDBYTES);
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, x25519_seed.data(), x25519_seed.size());
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(kDomain.data()),
                            kDomain.size());
  crypto_hash_sha256_final(&state, seed.data());
  sodium_memzero(&state, sizeof state);
  return seed;
}

std::string fingerprint(const PublicKey& key) {
  std::uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, key.data(), key.size());
  const std::string hex = encoding::hex_encode(std::span<const std::uint8_t>(digest, 8));
  return "dmp1:" + hex.substr(0, 4) + "-" + hex.substr(4, 4) + "-" + hex.substr(8, 4) + "-" +
         hex.substr(12, 4);
}

}  // namespace dmp::hsm
