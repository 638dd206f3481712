#include "token_session.hpp"

#include <algorithm>
#include <cstdio>

#include "ck_errors.hpp"
#include "dmp/encoding.hpp"
#include "dmp/hsm/pkcs11_protocol.hpp"
#include "dmp/hsm/signing_key.hpp"
#include "ed25519_encoding.hpp"

namespace dmp::hsm::pkcs11 {
namespace {

Failure protocol(const std::string& what) {
  return fail(Reason::helper_protocol, "request", what);
}

std::optional<std::string> text_field(const helper::Message& m, std::uint8_t tag) {
  const auto* field = m.find(tag);
  if (field == nullptr) return std::nullopt;
  return std::string(field->value.bytes().begin(), field->value.bytes().end());
}

bool matches(const std::optional<std::string>& wanted, const CK_UTF8CHAR* field, std::size_t size) {
  return !wanted || *wanted == token_text(field, size);
}

std::string key_type_name(CK_KEY_TYPE type) {
  switch (type) {
    case CKK_RSA:
      return "an RSA";
    case CKK_EC:
      return "an ECDSA (CKK_EC, e.g. P-256)";
    case CKK_EC_EDWARDS:
      return "an EdDSA key on another curve (Ed448?), not an Ed25519";
    default: {
      char text[48];
      std::snprintf(text, sizeof text, "a non-Ed25519 (key type 0x%lx)",
                    static_cast<unsigned long>(type));
      return text;
    }
  }
}

}  // namespace

std::string Selector::describe_key() const {
  std::string out;
  if (object) out += "object=" + *object;
  if (id) out += std::string(out.empty() ? "" : " ") + "id=" + encoding::hex_encode(*id);
  return out.empty() ? "(any key)" : out;
}

Result<Selector> read_selector(const helper::Message& request) {
  Selector s;
  const struct {
    std::uint8_t tag;
    std::optional<std::string>* out;
    std::size_t max;
  } texts[] = {{kTagToken, &s.token, kMaxTokenFieldLen},
               {kTagManufacturer, &s.manufacturer, kMaxTokenFieldLen},
               {kTagSerial, &s.serial, kMaxTokenFieldLen},
               {kTagModel, &s.model, kMaxTokenFieldLen},
               {kTagObject, &s.object, kMaxLabelLen}};
  for (const auto& t : texts) {
    *t.out = text_field(request, t.tag);
    if (*t.out && (*t.out)->size() > t.max)
      return protocol("a token or object attribute is too long");
  }
  if (const auto* id = request.find(kTagId)) {
    if (id->value.size() == 0 || id->value.size() > kMaxIdLen)
      return protocol("id of 1..255 bytes");
    s.id = id->value.bytes();
  }
  return s;
}

std::string token_text(const CK_UTF8CHAR* field, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(field), size);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\0'))
    text.pop_back();
  return printable(std::move(text));
}

std::string printable(std::string text) {
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return text;
}

Result<CK_SLOT_ID> select_token(CK_FUNCTION_LIST* f, const Selector& selector) {
  CK_ULONG count = 0;
  if (CK_RV rv = f->C_GetSlotList(CK_TRUE, nullptr, &count); rv != CKR_OK)
    return ck_error(rv, "C_GetSlotList");
  std::vector<CK_SLOT_ID> slots(count);
  if (count > 0) {
    if (CK_RV rv = f->C_GetSlotList(CK_TRUE, slots.data(), &count); rv != CKR_OK)
      return ck_error(rv, "C_GetSlotList");
    slots.resize(count);
  }
  std::vector<CK_SLOT_ID> chosen;
  std::string present;
  for (CK_SLOT_ID slot : slots) {
    CK_TOKEN_INFO info{};
    if (f->C_GetTokenInfo(slot, &info) != CKR_OK) continue;
    const std::string label = token_text(info.label, sizeof info.label);
    // An uninitialised token (SoftHSM's spare slot) holds no key.
    if ((info.flags & CKF_TOKEN_INITIALIZED) == 0) continue;
    present += (present.empty() ? "" : ", ") + ("\"" + label + "\"");
    if (matches(selector.token, info.label, sizeof info.label) &&
        matches(selector.manufacturer, info.manufacturerID, sizeof info.manufacturerID) &&
        matches(selector.serial, info.serialNumber, sizeof info.serialNumber) &&
        matches(selector.model, info.model, sizeof info.model))
      chosen.push_back(slot);
  }
  if (chosen.empty())
    return fail(
        Reason::token_unavailable, "token",
        "no token matches " +
            (selector.token ? "token=" + *selector.token : std::string("the URI")) +
            (present.empty() ? " (no token present)" : " (tokens present: " + present + ")"));
  if (chosen.size() > 1)
    return fail(
        Reason::usage, "token",
        std::to_string(chosen.size()) + " tokens match the URI; name one with token= or serial=");
  return chosen.front();
}

// --- Session -------------------------------------------------------------------

Result<Session> Session::open(CK_FUNCTION_LIST* f, CK_SLOT_ID slot, bool read_write) {
  CK_SESSION_HANDLE handle = 0;
  const CK_FLAGS flags = CKF_SERIAL_SESSION | (read_write ? CKF_RW_SESSION : 0);
  if (CK_RV rv = f->C_OpenSession(slot, flags, nullptr, nullptr, &handle); rv != CKR_OK)
    return ck_error(rv, "C_OpenSession");
  return Session(f, handle);
}

Session::Session(Session&& other) noexcept : f_(other.f_), handle_(other.handle_) {
  other.open_ = false;
}

Session::~Session() {
  if (open_) f_->C_CloseSession(handle_);
}

Status Session::login(std::span<const std::uint8_t> pin) {
  // C_Login takes a non-const pointer; modules do not write through it.
  auto* bytes = const_cast<CK_UTF8CHAR*>(pin.data());
  const CK_RV rv = f_->C_Login(handle_, CKU_USER, bytes, pin.size());
  if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) return ck_error(rv, "C_Login");
  return ok();
}

// --- Objects -------------------------------------------------------------------

Result<std::vector<CK_OBJECT_HANDLE>> find_objects(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s,
                                                   std::span<CK_ATTRIBUTE> templ) {
  if (CK_RV rv = f->C_FindObjectsInit(s, templ.data(), templ.size()); rv != CKR_OK)
    return ck_error(rv, "C_FindObjectsInit");
  std::vector<CK_OBJECT_HANDLE> out;
  // A bound: a token with thousands of matching objects is not one we sign with.
  constexpr std::size_t kMaxObjects = 256;
  CK_OBJECT_HANDLE batch[32];
  CK_ULONG n = 0;
  CK_RV rv;
  while ((rv = f->C_FindObjects(s, batch, 32, &n)) == CKR_OK && n > 0 && out.size() < kMaxObjects)
    out.insert(out.end(), batch, batch + n);
  f->C_FindObjectsFinal(s);
  if (rv != CKR_OK) return ck_error(rv, "C_FindObjects");
  return out;
}

Result<std::optional<Bytes>> attribute(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s,
                                       CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) {
  CK_ATTRIBUTE a{type, nullptr, 0};
  CK_RV rv = f->C_GetAttributeValue(s, object, &a, 1);
  if (rv == CKR_ATTRIBUTE_TYPE_INVALID || rv == CKR_ATTRIBUTE_SENSITIVE ||
      a.ulValueLen == CK_UNAVAILABLE_INFORMATION)
    return std::optional<Bytes>();
  if (rv != CKR_OK) return ck_error(rv, "C_GetAttributeValue");
  if (a.ulValueLen > 4096)
    return fail(Reason::token_unavailable, "token", "an attribute over 4096 bytes");
  Bytes value(a.ulValueLen);
  a.pValue = value.data();
  if (rv = f->C_GetAttributeValue(s, object, &a, 1); rv != CKR_OK)
    return ck_error(rv, "C_GetAttributeValue");
  value.resize(a.ulValueLen);
  return std::optional<Bytes>(std::move(value));
}

namespace {

// Class, type and (for public keys) curve of one object: why it is not ours,
// or nullopt when it is an Ed25519 key.
Result<std::optional<std::string>> why_not_ed25519(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s,
                                                   CK_OBJECT_HANDLE object) {
  auto type = attribute(f, s, object, CKA_KEY_TYPE);
  if (!type) return type.error();
  if (!*type || (*type)->size() != sizeof(CK_KEY_TYPE))
    return std::optional<std::string>("an object without a key type");
  CK_KEY_TYPE kt;
  std::copy((*type)->begin(), (*type)->end(), reinterpret_cast<std::uint8_t*>(&kt));
  if (kt != CKK_EC_EDWARDS) return std::optional<std::string>(key_type_name(kt) + " key");
  auto params = attribute(f, s, object, CKA_EC_PARAMS);
  if (!params) return params.error();
  // A private key may hide its parameters; the public half is checked too.
  if (*params && !is_ed25519_params(**params))
    return std::optional<std::string>(key_type_name(kt) + " key");
  return std::optional<std::string>();
}

KeyRef key_ref(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h) {
  KeyRef ref{h, {}, {}};
  if (auto id = attribute(f, s, h, CKA_ID); id && *id) ref.id = std::move(**id);
  if (auto label = attribute(f, s, h, CKA_LABEL); label && *label)
    ref.label = printable(std::string((*label)->begin(), (*label)->end()));
  return ref;
}

}  // namespace

Result<KeyRef> find_ed25519_key(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, const Selector& selector,
                                CK_OBJECT_CLASS cls) {
  std::vector<CK_ATTRIBUTE> templ{{CKA_CLASS, &cls, sizeof cls}};
  std::string label = selector.object.value_or("");
  Bytes id = selector.id.value_or(Bytes{});
  if (selector.object) templ.push_back({CKA_LABEL, label.data(), label.size()});
  if (selector.id) templ.push_back({CKA_ID, id.data(), id.size()});
  auto found = find_objects(f, s, templ);
  if (!found) return found.error();
  const char* what = cls == CKO_PRIVATE_KEY ? "private" : "public";
  std::vector<CK_OBJECT_HANDLE> ours;
  std::optional<std::string> other;
  for (CK_OBJECT_HANDLE h : *found) {
    auto why = why_not_ed25519(f, s, h);
    if (!why) return why.error();
    if (*why)
      other = *why;
    else
      ours.push_back(h);
  }
  if (ours.empty() && other)
    return fail(Reason::key_format, "object",
                "the " + std::string(what) + " key " + selector.describe_key() + " is " + *other +
                    ", not Ed25519 (CKK_EC_EDWARDS on edwards25519)");
  if (ours.empty())
    return fail(Reason::token_unavailable, "object",
                "no Ed25519 " + std::string(what) + " key " + selector.describe_key() +
                    " on the token (see: dmp-sign pkcs11 list)");
  if (ours.size() > 1)
    return fail(Reason::usage, "object",
                std::to_string(ours.size()) + " Ed25519 " + what + " keys match " +
                    selector.describe_key() + "; name one with object= and id=");
  return key_ref(f, s, ours.front());
}

Result<std::vector<KeyRef>> all_ed25519_public_keys(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s) {
  CK_OBJECT_CLASS cls = CKO_PUBLIC_KEY;
  CK_KEY_TYPE type = CKK_EC_EDWARDS;
  CK_ATTRIBUTE templ[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &type, sizeof type}};
  auto found = find_objects(f, s, templ);
  if (!found) return found.error();
  std::vector<KeyRef> out;
  for (CK_OBJECT_HANDLE h : *found) {
    auto why = why_not_ed25519(f, s, h);
    if (why && !*why) out.push_back(key_ref(f, s, h));
  }
  return out;
}

Result<std::array<std::uint8_t, 32>> public_key_of(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s,
                                                   CK_OBJECT_HANDLE public_key) {
  auto point = attribute(f, s, public_key, CKA_EC_POINT);
  if (!point) return point.error();
  if (!*point)
    return fail(Reason::token_unavailable, "object", "the public key has no CKA_EC_POINT");
  auto key = public_key_from_ec_point(**point);
  if (!key)
    return fail(Reason::key_format, "object",
                "CKA_EC_POINT is neither 32 bytes nor a DER OCTET STRING of 32 bytes");
  return *key;
}

}  // namespace dmp::hsm::pkcs11
