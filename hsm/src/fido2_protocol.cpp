#include "dmp/hsm/fido2_protocol.hpp"

#include "dmp/encoding.hpp"

namespace dmp::hsm::fido2 {

std::vector<std::uint8_t> pack_slots(std::span<const SlotRef> slots) {
  std::vector<std::uint8_t> out;
  out.push_back(static_cast<std::uint8_t>(slots.size()));
  for (const auto& slot : slots) {
    encoding::write_be(out, slot.credential_id.size(), 2);
    out.insert(out.end(), slot.credential_id.begin(), slot.credential_id.end());
    out.insert(out.end(), slot.salt.begin(), slot.salt.end());
  }
  return out;
}

Result<std::vector<SlotRef>> unpack_slots(std::span<const std::uint8_t> bytes) {
  const auto refuse = [](const std::string& rule) {
    return fail(Reason::helper_protocol, "helper pipe", "slots: " + rule);
  };
  if (bytes.empty()) return refuse("missing count");
  const std::size_t count = bytes[0];
  if (count == 0 || count > kMaxSlots) return refuse("count must be 1..8");
  std::vector<SlotRef> slots;
  encoding::ByteReader rest(bytes.subspan(1));
  for (std::size_t i = 0; i < count; ++i) {
    if (!rest.has(2)) return refuse("truncated");
    const std::size_t len = rest.read_uint(2);
    if (len == 0 || len > kMaxCredentialIdLen) return refuse("credential id must be 1..1023 bytes");
    if (!rest.has(len + kSaltLen)) return refuse("truncated");
    SlotRef slot;
    const auto id = rest.read_bytes(len);
    const auto salt = rest.read_bytes(kSaltLen);
    slot.credential_id.assign(id.begin(), id.end());
    slot.salt.assign(salt.begin(), salt.end());
    slots.push_back(std::move(slot));
  }
  if (rest.remaining() != 0) return refuse("trailing bytes");
  return slots;
}

}  // namespace dmp::hsm::fido2
