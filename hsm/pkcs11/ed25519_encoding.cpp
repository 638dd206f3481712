#include "ed25519_encoding.hpp"

#include <algorithm>

namespace dmp::hsm::pkcs11 {

bool is_ed25519_params(std::span<const std::uint8_t> ec_params) noexcept {
  return std::ranges::equal(ec_params, kEcParamsPrintable) ||
         std::ranges::equal(ec_params, kEcParamsOid);
}

std::optional<std::array<std::uint8_t, 32>> public_key_from_ec_point(
    std::span<const std::uint8_t> ec_point) noexcept {
  std::array<std::uint8_t, 32> key{};
  if (ec_point.size() == 34 && ec_point[0] == 0x04 && ec_point[1] == 0x20) {
    std::copy(ec_point.begin() + 2, ec_point.end(), key.begin());
    return key;
  }
  if (ec_point.size() == 32) {
    std::copy(ec_point.begin(), ec_point.end(), key.begin());
    return key;
  }
  return std::nullopt;
}

}  // namespace dmp::hsm::pkcs11
