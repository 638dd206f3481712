#include "token_ops.hpp"

#include <memory>
#include <string>

#include "ck_errors.hpp"
#include "dmp/encoding.hpp"
#include "dmp/hsm/pkcs11_protocol.hpp"
#include "dmp/hsm/signing_key.hpp"
#include "ed25519_encoding.hpp"
#include "module.hpp"
#include "token_session.hpp"

namespace dmp::hsm::pkcs11 {
namespace {

using helper::error_reply;
using helper::Message;

Message error_of(const Error& e) {
  return error_reply(e.reason, e.message());
}

// What every operation on one token needs: the module, the chosen token and
// a session on it, logged in when a PIN was sent.
struct Token {
  std::unique_ptr<Module> module;
  Selector selector;
  CK_SLOT_ID slot = 0;
  std::optional<Session> session;
  CK_FUNCTION_LIST* f() const { return module->functions(); }
  CK_SESSION_HANDLE s() const { return session->handle(); }
};

Result<std::unique_ptr<Module>> load_module(const Message& request) {
  const auto* path = request.find(kTagModule);
  if (path == nullptr || path->value.size() == 0 || path->value.size() > kMaxModulePathLen)
    return fail(Reason::helper_protocol, "request", "no module path");
  return Module::load(std::string(path->value.bytes().begin(), path->value.bytes().end()));
}

Result<Token> open_token(const Message& request, bool read_write, bool need_pin) {
  Token t;
  auto module = load_module(request);
  if (!module) return module.error();
  t.module = std::move(*module);
  auto selector = read_selector(request);
  if (!selector) return selector.error();
  t.selector = std::move(*selector);
  auto slot = select_token(t.f(), t.selector);
  if (!slot) return slot.error();
  t.slot = *slot;
  auto session = Session::open(t.f(), t.slot, read_write);
  if (!session) return session.error();
  t.session.emplace(std::move(*session));
  const auto* pin = request.find(kTagPin);
  if (pin == nullptr && need_pin) return fail(Reason::helper_protocol, "request", "no PIN");
  if (pin != nullptr) {
    if (pin->value.size() < kMinPinLen || pin->value.size() > kMaxPinLen)
      return fail(Reason::wrong_passphrase, "PIN", "must have 1 to 255 bytes");
    if (auto in = t.session->login(pin->value.span()); !in) return in.error();
  }
  return t;
}

Message key_reply(const std::array<std::uint8_t, 32>& public_key, const KeyRef& ref) {
  Message reply = helper::ok_reply();
  reply.add(kTagPublicKey, public_key);
  reply.add(kTagKeyId, ref.id);
  reply.add(kTagKeyLabel, ref.label);
  return reply;
}

// --- list ----------------------------------------------------------------------

Message list(const Message& request) {
  auto module = load_module(request);
  if (!module) return error_of(module.error());
  CK_FUNCTION_LIST* f = (*module)->functions();
  CK_ULONG count = 0;
  if (CK_RV rv = f->C_GetSlotList(CK_FALSE, nullptr, &count); rv != CKR_OK)
    return error_of(ck_error(rv, "C_GetSlotList"));
  std::vector<CK_SLOT_ID> slots(count);
  if (count > 0 && f->C_GetSlotList(CK_FALSE, slots.data(), &count) == CKR_OK) slots.resize(count);
  std::string out;
  for (CK_SLOT_ID slot : slots) {
    CK_SLOT_INFO info{};
    if (f->C_GetSlotInfo(slot, &info) != CKR_OK) continue;
    std::string line = std::string(kListSlot) + "\t" + std::to_string(slot) + "\t" +
                       token_text(info.slotDescription, sizeof info.slotDescription);
    CK_TOKEN_INFO token{};
    const bool present = (info.flags & CKF_TOKEN_PRESENT) != 0 &&
                         f->C_GetTokenInfo(slot, &token) == CKR_OK &&
                         (token.flags & CKF_TOKEN_INITIALIZED) != 0;
    if (!present) {
      out += line + "\t\t\t\t\n";
      continue;
    }
    out += line + "\t" + token_text(token.label, sizeof token.label) + "\t" +
           token_text(token.manufacturerID, sizeof token.manufacturerID) + "\t" +
           token_text(token.model, sizeof token.model) + "\t" +
           token_text(token.serialNumber, sizeof token.serialNumber) + "\n";
    auto session = Session::open(f, slot, false);
    if (!session) continue;
    auto keys = all_ed25519_public_keys(f, session->handle());
    if (!keys) continue;
    for (const KeyRef& key : *keys) {
      auto pub = public_key_of(f, session->handle(), key.handle);
      out += std::string(kListKey) + "\t" + std::to_string(slot) + "\t" + key.label + "\t" +
             encoding::hex_encode(key.id) + "\t" +
             (pub ? encoding::hex_encode(*pub) : std::string()) + "\n";
    }
    // The reply must fit the pipe's cap; a listing that large is cut short.
    if (out.size() > helper::kMaxPayload - 1024) break;
  }
  Message reply = helper::ok_reply();
  reply.add(kTagListing, out);
  return reply;
}

// --- keygen --------------------------------------------------------------------

// C_GenerateKeyPair with the curve spelled as `params`.
CK_RV generate(const Token& t, std::span<const std::uint8_t> params, CK_OBJECT_HANDLE& pub,
               CK_OBJECT_HANDLE& priv) {
  CK_MECHANISM mechanism{CKM_EC_EDWARDS_KEY_PAIR_GEN, nullptr, 0};
  CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
  std::string label = *t.selector.object;
  Bytes id = *t.selector.id;
  Bytes curve(params.begin(), params.end());
  CK_ATTRIBUTE pub_templ[] = {
      {CKA_TOKEN, &yes, sizeof yes},           {CKA_PRIVATE, &no, sizeof no},
      {CKA_VERIFY, &yes, sizeof yes},          {CKA_EC_PARAMS, curve.data(), curve.size()},
      {CKA_LABEL, label.data(), label.size()}, {CKA_ID, id.data(), id.size()}};
  // Sensitive and never extractable: the key cannot leave the token, not
  // even wrapped under another key.
  CK_ATTRIBUTE priv_templ[] = {
      {CKA_TOKEN, &yes, sizeof yes},     {CKA_PRIVATE, &yes, sizeof yes},
      {CKA_SENSITIVE, &yes, sizeof yes}, {CKA_EXTRACTABLE, &no, sizeof no},
      {CKA_SIGN, &yes, sizeof yes},      {CKA_LABEL, label.data(), label.size()},
      {CKA_ID, id.data(), id.size()}};
  return t.f()->C_GenerateKeyPair(t.s(), &mechanism, pub_templ, std::size(pub_templ), priv_templ,
                                  std::size(priv_templ), &pub, &priv);
}

Message keygen(const Message& request) {
  auto token = open_token(request, true, true);
  if (!token) return error_of(token.error());
  Token& t = *token;
  if (!t.selector.object || !t.selector.id)
    return error_reply(Reason::helper_protocol, "request: keygen needs an object label and an id");
  // A second key under the same label or id would make every URI naming it
  // ambiguous: refuse rather than shadow.
  for (bool by_label : {true, false}) {
    std::string label = *t.selector.object;
    Bytes id = *t.selector.id;
    CK_ATTRIBUTE templ = by_label ? CK_ATTRIBUTE{CKA_LABEL, label.data(), label.size()}
                                  : CK_ATTRIBUTE{CKA_ID, id.data(), id.size()};
    auto found = find_objects(t.f(), t.s(), std::span(&templ, 1));
    if (!found) return error_of(found.error());
    if (!found->empty())
      return error_reply(
          Reason::already_exists,
          std::string(by_label ? "object" : "id") +
              ": the token already holds an object with this " +
              (by_label ? "label (" + label + ")" : "id (" + encoding::hex_encode(id) + ")") +
              "; choose another");
  }
  CK_OBJECT_HANDLE pub = 0, priv = 0;
  CK_RV rv = generate(t, kEcParamsPrintable, pub, priv);
  if (rv == CKR_ATTRIBUTE_VALUE_INVALID || rv == CKR_DOMAIN_PARAMS_INVALID ||
      rv == CKR_CURVE_NOT_SUPPORTED || rv == CKR_TEMPLATE_INCONSISTENT)
    rv = generate(t, kEcParamsOid, pub, priv);
  if (rv == CKR_MECHANISM_INVALID)
    return error_reply(Reason::token_unavailable,
                       "keygen: the token cannot generate Ed25519 keys "
                       "(no CKM_EC_EDWARDS_KEY_PAIR_GEN; YubiKey PIV needs firmware 5.7)");
  if (rv != CKR_OK) return error_of(ck_error(rv, "C_GenerateKeyPair"));
  auto key = public_key_of(t.f(), t.s(), pub);
  if (!key) return error_of(key.error());
  return key_reply(*key, KeyRef{pub, *t.selector.id, *t.selector.object});
}

// --- pubkey / sign -------------------------------------------------------------

Message pubkey(const Message& request) {
  auto token = open_token(request, false, false);
  if (!token) return error_of(token.error());
  auto ref = find_ed25519_key(token->f(), token->s(), token->selector, CKO_PUBLIC_KEY);
  if (!ref) return error_of(ref.error());
  auto key = public_key_of(token->f(), token->s(), ref->handle);
  if (!key) return error_of(key.error());
  return key_reply(*key, *ref);
}

Message sign(const Message& request) {
  const auto* body = request.find(kTagBody);
  if (body == nullptr || body->value.size() == 0 || body->value.size() > kMaxBodyLen)
    return error_reply(Reason::helper_protocol, "request: sign needs a body of 1..4096 bytes");
  auto token = open_token(request, false, true);
  if (!token) return error_of(token.error());
  Token& t = *token;
  auto priv = find_ed25519_key(t.f(), t.s(), t.selector, CKO_PRIVATE_KEY);
  if (!priv) return error_of(priv.error());
  // The public half under the same id: dmp-sign checks it is the key it
  // reviewed, so a URI that now names another key cannot sign unnoticed.
  Selector same_key;
  same_key.id = priv->id;
  if (priv->id.empty()) same_key.object = priv->label;
  auto pub = find_ed25519_key(t.f(), t.s(), same_key, CKO_PUBLIC_KEY);
  if (!pub) return error_of(pub.error());
  auto key = public_key_of(t.f(), t.s(), pub->handle);
  if (!key) return error_of(key.error());

  CK_MECHANISM eddsa{CKM_EDDSA, nullptr, 0};  // no parameters: pure Ed25519
  if (CK_RV rv = t.f()->C_SignInit(t.s(), &eddsa, priv->handle); rv != CKR_OK)
    return error_of(ck_error(rv, "C_SignInit (CKM_EDDSA)"));
  std::array<std::uint8_t, kSignatureLen> signature{};
  CK_ULONG length = signature.size();
  Bytes data = body->value.bytes();
  if (CK_RV rv = t.f()->C_Sign(t.s(), data.data(), data.size(), signature.data(), &length);
      rv != CKR_OK)
    return error_of(ck_error(rv, "C_Sign"));
  if (length != kSignatureLen)
    return error_reply(
        Reason::token_unavailable,
        "C_Sign: the token returned a " + std::to_string(length) + "-byte signature, not 64 bytes");
  Message reply = key_reply(*key, *priv);
  reply.add(kTagSignature, signature);
  return reply;
}

}  // namespace

Message handle_request(const Message& request) {
  switch (request.kind) {
    case kKindList:
      return list(request);
    case kKindKeygen:
      return keygen(request);
    case kKindPubkey:
      return pubkey(request);
    case kKindSign:
      return sign(request);
    default:
      return error_reply(Reason::helper_protocol,
                         "request of unknown kind " + std::to_string(request.kind));
  }
}

}  // namespace dmp::hsm::pkcs11
