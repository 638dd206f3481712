#include "dmp/hsm/pkcs11_client.hpp"

#include <sodium.h>

#include <algorithm>

#include "dmp/encoding.hpp"
#include "dmp/hsm/helper_process.hpp"

namespace dmp::hsm::pkcs11 {
namespace {

Failure malformed_reply(const std::string& what) {
  return fail(Reason::helper_protocol, "dmp-sign-pkcs11", "reply " + what);
}

helper::Message request_for(std::uint8_t kind, const KeyLocation& l) {
  helper::Message m{kind, {}};
  m.add(kTagModule, l.module);
  const std::pair<std::uint8_t, const std::optional<std::string>*> texts[] = {
      {kTagToken, &l.token},
      {kTagManufacturer, &l.manufacturer},
      {kTagSerial, &l.serial},
      {kTagModel, &l.model},
      {kTagObject, &l.object}};
  for (const auto& [tag, value] : texts)
    if (*value) m.add(tag, **value);
  if (l.id) m.add(kTagId, *l.id);
  return m;
}

Result<KeyDetails> key_details(const helper::Message& reply) {
  const auto* key = reply.find(kTagPublicKey);
  const auto* id = reply.find(kTagKeyId);
  const auto* label = reply.find(kTagKeyLabel);
  if (key == nullptr || key->value.size() != kPublicKeyLen)
    return malformed_reply("without a 32-byte public key");
  if (id == nullptr || id->value.size() > kMaxIdLen || label == nullptr ||
      label->value.size() > kMaxLabelLen)
    return malformed_reply("without the key's id and label");
  KeyDetails out;
  std::copy(key->value.bytes().begin(), key->value.bytes().end(), out.public_key.begin());
  out.id = id->value.bytes();
  out.label.assign(label->value.bytes().begin(), label->value.bytes().end());
  for (char& c : out.label)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t end = line.find(sep, pos);
    out.push_back(line.substr(pos, end == std::string::npos ? std::string::npos : end - pos));
    if (end == std::string::npos) return out;
    pos = end + 1;
  }
}

}  // namespace

Result<Listing> list(const std::string& helper, const std::string& module) {
  helper::Message m{kKindList, {}};
  m.add(kTagModule, module);
  auto reply = helper::call_helper({helper}, m);
  if (!reply) return reply.error();
  const auto* listing = reply->find(kTagListing);
  if (listing == nullptr) return malformed_reply("without a listing");
  Listing out;
  const std::string text(listing->value.bytes().begin(), listing->value.bytes().end());
  for (const std::string& line : split(text, '\n')) {
    if (line.empty()) continue;
    const auto f = split(line, '\t');
    if (f[0] == kListSlot && f.size() == 7)
      out.slots.push_back({f[1], f[2], f[3], f[4], f[5], f[6]});
    else if (f[0] == kListKey && f.size() == 5)
      out.keys.push_back({f[1], f[2], f[3], f[4]});
    else
      return malformed_reply("with a listing line of an unknown shape");
  }
  return out;
}

Result<KeyDetails> keygen(const KeyLocation& location, const SecretBuffer& pin) {
  helper::Message m = request_for(kKindKeygen, location);
  m.add(kTagPin, pin.span());
  auto reply = helper::call_helper({location.helper}, m);
  if (!reply) return reply.error();
  return key_details(*reply);
}

Result<KeyDetails> pubkey(const KeyLocation& location, const SecretBuffer* pin) {
  helper::Message m = request_for(kKindPubkey, location);
  if (pin != nullptr) m.add(kTagPin, pin->span());
  auto reply = helper::call_helper({location.helper}, m);
  if (!reply) return reply.error();
  return key_details(*reply);
}

Pkcs11Key::Pkcs11Key(KeyLocation location, SecretBuffer pin, const PublicKey& public_key,
                     std::string description)
    : location_(std::move(location)),
      pin_(std::move(pin)),
      public_key_(public_key),
      description_(std::move(description)) {}

Result<Signature> Pkcs11Key::sign(std::span<const std::uint8_t> message) {
  if (message.size() > kMaxBodyLen) return fail(Reason::usage, "PKCS#11", "a body over 4096 bytes");
  helper::Message m = request_for(kKindSign, location_);
  m.add(kTagPin, pin_.span());
  m.add(kTagBody, message);
  auto reply = helper::call_helper({location_.helper}, m);
  if (!reply) return reply.error();
  auto details = key_details(*reply);
  if (!details) return details.error();
  const auto* signature = reply->find(kTagSignature);
  if (signature == nullptr || signature->value.size() != kSignatureLen)
    return malformed_reply("without a 64-byte signature");
  if (sodium_memcmp(details->public_key.data(), public_key_.data(), public_key_.size()) != 0)
    return fail(Reason::key_mismatch, "PKCS#11",
                "the token signed with " + encoding::hex_encode(details->public_key) +
                    ", not the reviewed key " + encoding::hex_encode(public_key_));
  Signature out{};
  std::copy(signature->value.bytes().begin(), signature->value.bytes().end(), out.begin());
  return out;
}

}  // namespace dmp::hsm::pkcs11
