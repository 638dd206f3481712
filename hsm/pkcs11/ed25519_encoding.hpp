// How Ed25519 keys look in PKCS#11 attributes, as pure functions so they can
// be tested without a token.
//
// CKA_EC_PARAMS names the curve. PKCS#11 3.0 allows two spellings and tokens
// differ: SoftHSM2 and OpenSC write the printable string "edwards25519"
// (13 0c "edwards25519"), Yubico's ykcs11 the RFC 8410 OID 1.3.101.112
// (06 03 2b 65 70). Both are accepted when reading; keygen tries the
// printable string first and the OID if the token refuses it.
//
// CKA_EC_POINT holds the 32-byte public key, as a DER OCTET STRING
// (04 20 <32 bytes>: SoftHSM2, the PKCS#11 3.0 wording) or bare (some
// modules); both are accepted, nothing else.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace dmp::hsm::pkcs11 {

inline constexpr std::array<std::uint8_t, 14> kEcParamsPrintable{
    0x13, 0x0c, 'e', 'd', 'w', 'a', 'r', 'd', 's', '2', '5', '5', '1', '9'};
inline constexpr std::array<std::uint8_t, 5> kEcParamsOid{0x06, 0x03, 0x2b, 0x65, 0x70};

bool is_ed25519_params(std::span<const std::uint8_t> ec_params) noexcept;
std::optional<std::array<std::uint8_t, 32>> public_key_from_ec_point(
    std::span<const std::uint8_t> ec_point) noexcept;

}  // namespace dmp::hsm::pkcs11
