// Readers for seeds made elsewhere (spec §6): the reference generator's
// key=value file, and bare 64-hex seeds whose kind the operator states.
// Pure functions over text held in guarded memory; messages never quote it.
#pragma once

#include <span>
#include <string>

#include "dmp/hsm/secret_buffer.hpp"
#include "dmp/records.hpp"
#include "dmp/result.hpp"

namespace dmp::keyfile {

enum class SeedKind {
  x25519,   // DMPCrypto / generator seed: Ed25519 seed = SHA-256(x || domain) (§6.1)
  ed25519,  // OperatorSigner / heartbeat seed: used as is (§6.2)
};

// Exactly 64 hex digits after trimming ASCII whitespace (either case).
Result<hsm::SecretBuffer> parse_hex_seed(std::span<const std::uint8_t> text,
                                         const std::string& what);

// The Ed25519 seed for a seed of the given kind.
hsm::SecretBuffer to_ed25519_seed(hsm::SecretBuffer seed, SeedKind kind);

// generate-cluster-manifest.py's operator-ed25519.hex (§6.3): '#' comments
// and blank lines ignored, key=value lines, operator_seed_hex (X25519-style)
// and operator_public_hex both required; the derived public key must equal
// operator_public_hex (Reason::key_mismatch otherwise).
struct ReferenceKey {
  hsm::SecretBuffer ed25519_seed;
  PublicKey public_key{};
};
Result<ReferenceKey> parse_reference_key_file(std::span<const std::uint8_t> text);

// True when `text` looks like the generator's file (has operator_seed_hex=).
bool looks_like_reference_key_file(std::span<const std::uint8_t> text) noexcept;
// True when `text` is a bare 64-hex seed (whitespace trimmed).
bool looks_like_bare_hex_seed(std::span<const std::uint8_t> text) noexcept;

}  // namespace dmp::keyfile
