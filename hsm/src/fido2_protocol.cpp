#include "dmp/hsm/fido2_protocol.hpp"

namespace dmp::hsm::fido2 {

std::vector<std::uint8_t> pack_slots(std::span<const SlotRef> slots) {
  std::vector<std::uint8_t> out;
  out.push_back(static_cast<std::uint8_t>(slots.size()));
  for (const auto& slot : slots) {
    out.push_back(static_cast<std::uint8_t>(slot.credential_id.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(slot.credential_id.size()));
    out.insert(out.end(), slot.credential_id.begin(), slot.credential_id.end());
    out.insert(out.end(), slot.salt.begin(), slot.salt.end());
  }
  return out;
}

Result<std::vector<SlotRef>> unpack_slots(std::span<const std::uint8_t> bytes) {
  const auto refuse = [](const std::string& rule) {
    return fail(Reason::helper_protocol, "slots", "helper pipe: slots: " + rule);
  };
  if (bytes.empty()) return refuse("missing count");
  const std::size_t count = bytes[0];
  if (count == 0 || count > kMaxSlots) return refuse("count must be 1..8");
  std::vector<SlotRef> slots;
  std::span<const std::uint8_t> rest = bytes.subspan(1);
  for (std::size_t i = 0; i < count; ++i) {
    if (rest.size() < 2) return refuse("truncated");
    const std::size_t len = (std::size_t{rest[0]} << 8) | rest[1];
    if (len == 0 || len > kMaxCredentialIdLen) return refuse("credential id must be 1..1023 bytes");
    if (rest.size() < 2 + len + kSaltLen) return refuse("truncated");
    SlotRef slot;
    slot.credential_id.assign(rest.begin() + 2,
                              rest.begin() + 2 + static_cast<std::ptrdiff_t>(len));
    slot.salt.assign(rest.begin() + 2 + static_cast<std::ptrdiff_t>(len),
                     rest.begin() + 2 + static_cast<std::ptrdiff_t>(len + kSaltLen));
    slots.push_back(std::move(slot));
    rest = rest.subspan(2 + len + kSaltLen);
  }
  if (!rest.empty()) return refuse("trailing bytes");
  return slots;
}

}  // namespace dmp::hsm::fido2
