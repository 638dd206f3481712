// Test-only signing helpers that call libsodium directly (the signer proper
// lives in hsm/ and signer/). Seeds follow the reference's derivation (§6.1).
#pragma once

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include "dmp/records.hpp"

namespace dmp::test {

struct TestKey {
  std::array<std::uint8_t, 32> seed{};  // raw Ed25519 seed
  PublicKey public_key{};
  std::array<std::uint8_t, 64> secret{};
};

inline TestKey key_from_ed25519_seed(std::span<const std::uint8_t, 32> seed) {
  if (sodium_init() < 0) std::abort();
  TestKey key;
  std::copy(seed.begin(), seed.end(), key.seed.begin());
  crypto_sign_seed_keypair(key.public_key.data(), key.secret.data(), key.seed.data());
  return key;
}

// §6.1: ed25519_seed = SHA-256(x || "DMP-v1-Ed25519-signing-key").
inline TestKey key_from_x25519_seed(std::span<const std::uint8_t> x) {
  constexpr std::string_view kDomain = "DMP-v1-Ed25519-signing-key";
  std::array<std::uint8_t, 32> seed{};
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, x.data(), x.size());
  crypto_hash_sha256_update(&state, reinterpret_cast<const std::uint8_t*>(kDomain.data()),
                            kDomain.size());
  crypto_hash_sha256_final(&state, seed.data());
  return key_from_ed25519_seed(seed);
}

// A deterministic key for a label: x = SHA-256(label), then §6.1, like the
// reference's vector labels ("vectors/cluster/operator").
inline TestKey key_for_label(std::string_view label) {
  std::array<std::uint8_t, 32> x{};
  crypto_hash_sha256(x.data(), reinterpret_cast<const std::uint8_t*>(label.data()), label.size());
  return key_from_x25519_seed(x);
}

inline Signature sign_bytes(const TestKey& key, std::span<const std::uint8_t> message) {
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), key.secret.data());
  return sig;
}

}  // namespace dmp::test
