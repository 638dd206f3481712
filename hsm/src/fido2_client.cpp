#include "dmp/hsm/fido2_client.hpp"

#include <algorithm>

#include "dmp/hsm/helper_process.hpp"

namespace dmp::hsm::fido2 {
namespace {

Failure malformed_reply(const std::string& what) {
  return fail(Reason::helper_protocol, "dmp-sign-fido2", "reply " + what);
}

helper::Message token_message(std::uint8_t kind, const TokenRequest& request) {
  helper::Message m{kind, {}};
  if (!request.device.empty()) m.add(kTagDevice, request.device);
  m.add(kTagRpId, request.rp_id);
  m.add(kTagFlags, std::span(&request.flags, 1));
  if (request.pin != nullptr) m.add(kTagPin, request.pin->span());
  return m;
}

SecretBuffer secret_of(const helper::Field& field) {
  SecretBuffer out(field.value.size());
  std::copy(field.value.bytes().begin(), field.value.bytes().end(), out.data());
  return out;
}

}  // namespace

Result<std::vector<TokenInfo>> list_tokens(const std::string& helper) {
  auto reply = helper::call_helper({helper}, helper::Message{kKindList, {}});
  if (!reply) return reply.error();
  const auto* devices = reply->find(kTagDevices);
  if (devices == nullptr) return malformed_reply("without a device list");
  std::vector<TokenInfo> out;
  const std::string text(devices->value.bytes().begin(), devices->value.bytes().end());
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    const std::string line = text.substr(pos, end - pos);
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos) return malformed_reply("with a device line without a tab");
    out.push_back({line.substr(0, tab), line.substr(tab + 1)});
    pos = end + 1;
  }
  return out;
}

Result<Enrolment> enroll(const TokenRequest& request, std::span<const std::uint8_t> salt) {
  helper::Message m = token_message(kKindEnroll, request);
  m.add(kTagSalt, salt);
  auto reply = helper::call_helper({request.helper}, m);
  if (!reply) return reply.error();
  const auto* credential = reply->find(kTagCredentialId);
  const auto* secret = reply->find(kTagHmacSecret);
  const auto* product = reply->find(kTagProduct);
  if (credential == nullptr || credential->value.size() == 0 ||
      credential->value.size() > kMaxCredentialIdLen)
    return malformed_reply("without a credential id of 1..1023 bytes");
  if (secret == nullptr || secret->value.size() != kHmacSecretLen)
    return malformed_reply("without a 32-byte hmac-secret output");
  Enrolment out;
  out.credential_id = credential->value.bytes();
  out.hmac_secret = secret_of(*secret);
  if (product != nullptr)
    out.product.assign(product->value.bytes().begin(), product->value.bytes().end());
  return out;
}

Result<Unwrapped> unwrap(const TokenRequest& request, std::span<const SlotRef> slots) {
  helper::Message m = token_message(kKindUnwrap, request);
  m.add(kTagSlots, pack_slots(slots));
  auto reply = helper::call_helper({request.helper}, m);
  if (!reply) return reply.error();
  const auto* index = reply->find(kTagSlotIndex);
  const auto* secret = reply->find(kTagHmacSecret);
  if (index == nullptr || index->value.size() != 1 || index->value.bytes()[0] >= slots.size())
    return malformed_reply("without the index of a slot that was asked about");
  if (secret == nullptr || secret->value.size() != kHmacSecretLen)
    return malformed_reply("without a 32-byte hmac-secret output");
  return Unwrapped{index->value.bytes()[0], secret_of(*secret)};
}

}  // namespace dmp::hsm::fido2
