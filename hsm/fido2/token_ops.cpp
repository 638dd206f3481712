#include "token_ops.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string_view>

#include "dmp/hsm/fido2_protocol.hpp"
#include "dmp/hsm/secret_buffer.hpp"

namespace dmp::hsm::fido2 {
namespace {

using helper::error_reply;
using helper::Message;

constexpr std::uint8_t kAuthDataUp = 0x01;  // authenticator data flags (CTAP2 §6.1)
constexpr std::uint8_t kAuthDataUv = 0x04;

struct DevFree {
  void operator()(fido_dev_t* d) const {
    fido_dev_close(d);
    fido_dev_free(&d);
  }
};
struct CredFree {
  void operator()(fido_cred_t* c) const { fido_cred_free(&c); }
};
struct AssertFree {
  void operator()(fido_assert_t* a) const { fido_assert_free(&a); }
};
using Device = std::unique_ptr<fido_dev_t, DevFree>;
using Cred = std::unique_ptr<fido_cred_t, CredFree>;
using Assert = std::unique_ptr<fido_assert_t, AssertFree>;

// A libfido2 result as an error reply, in the operator's terms.
Message token_error(int rc, fido_dev_t* dev, std::string_view doing) {
  const std::string what = std::string(doing) + ": ";
  switch (rc) {
    case FIDO_ERR_PIN_INVALID: {
      int retries = -1;
      const bool known = dev != nullptr && fido_dev_get_retry_count(dev, &retries) == FIDO_OK;
      return error_reply(
          Reason::wrong_passphrase,
          what + "PIN incorrect" + (known ? ", " + std::to_string(retries) + " retries left" : ""));
    }
    case FIDO_ERR_PIN_BLOCKED:
      return error_reply(
          Reason::token_denied,
          what +
              "the token's PIN is blocked; only a reset of the token's FIDO2 "
              "application unblocks it (that destroys this enrolment: use a backup token)");
    case FIDO_ERR_PIN_AUTH_BLOCKED:
      return error_reply(
          Reason::token_denied,
          what + "too many wrong PINs in a row: unplug the token, plug it in again and retry");
    case FIDO_ERR_PIN_NOT_SET:
      return error_reply(Reason::token_denied,
                         what +
                             "the token has no PIN; set one first (ykman fido access change-pin, "
                             "or fido2-token -S)");
    case FIDO_ERR_PIN_REQUIRED:
      return error_reply(Reason::token_denied,
                         what +
                             "the token has a PIN and needs it here; none was given "
                             "(with --no-pin, give it with --pin-file)");
    case FIDO_ERR_PIN_POLICY_VIOLATION:
      return error_reply(Reason::token_denied, what + "the PIN breaks the token's PIN policy");
    case FIDO_ERR_ACTION_TIMEOUT:
    case FIDO_ERR_USER_ACTION_TIMEOUT:
    case FIDO_ERR_TIMEOUT:
      return error_reply(Reason::token_denied, what + "the token was not touched in time");
    case FIDO_ERR_OPERATION_DENIED:
    case FIDO_ERR_KEEPALIVE_CANCEL:
      return error_reply(Reason::token_denied, what + "the operation was denied on the token");
    case FIDO_ERR_NO_CREDENTIALS:
    case FIDO_ERR_INVALID_CREDENTIAL:
      return error_reply(Reason::token_unavailable,
                         what + "this token is not enrolled in the key file");
    case FIDO_ERR_UNSUPPORTED_EXTENSION:
      return error_reply(Reason::token_unavailable,
                         what + "the token does not support the hmac-secret extension");
    default:
      return error_reply(Reason::token_unavailable, what + "token error: " + fido_strerr(rc));
  }
}

Message unavailable(const std::string& message) {
  return error_reply(Reason::token_unavailable, message);
}

std::string text_of(const helper::Field* field) {
  return field == nullptr ? std::string()
                          : std::string(field->value.bytes().begin(), field->value.bytes().end());
}

// The request fields every token operation shares.
struct Common {
  std::string device;  // empty: choose
  std::string rp_id;
  std::uint8_t flags = 0;
  std::optional<SecretBuffer> pin;  // NUL-terminated for libfido2
};

std::optional<Message> read_common(const Message& request, Common& out) {
  out.device = text_of(request.find(kTagDevice));
  out.rp_id = text_of(request.find(kTagRpId));
  const auto* flags = request.find(kTagFlags);
  if (out.rp_id.empty() || flags == nullptr || flags->value.size() != 1)
    return error_reply(Reason::helper_protocol, "request without rp id or flags");
  out.flags = flags->value.bytes()[0];
  if (const auto* pin = request.find(kTagPin)) {
    const auto& bytes = pin->value.bytes();
    if (bytes.size() < kMinPinLen || bytes.size() > kMaxPinLen)
      return error_reply(Reason::wrong_passphrase, "PIN: a FIDO2 PIN has 4 to 63 bytes");
    SecretBuffer buffer(bytes.size() + 1);
    std::copy(bytes.begin(), bytes.end(), buffer.data());
    out.pin = std::move(buffer);
  }
  if ((out.flags & kFlagUserVerification) != 0 && !out.pin)
    return error_reply(Reason::usage, "this key needs the token's PIN, and none was given");
  return std::nullopt;
}

const char* pin_of(const Common& c) {
  return c.pin ? reinterpret_cast<const char*>(c.pin->data()) : nullptr;
}

// Opens `path`, or the only token present when `path` is empty; `chosen`
// is the path opened.
std::optional<Message> open_device(DeviceSource& devices, const std::string& path, Device& out,
                                   std::string& chosen) {
  chosen = path;
  if (chosen.empty()) {
    const auto present = devices.list();
    if (present.empty()) return unavailable("no FIDO2 token found: plug in the token");
    if (present.size() > 1)
      return unavailable(
          "several FIDO2 tokens are plugged in: choose one with --device "
          "(see dmp-sign fido2 devices)");
    chosen = present.front().path;
  }
  Device dev(fido_dev_new());
  if (!dev) return unavailable("out of memory");
  if (const int rc = devices.open(dev.get(), chosen); rc != FIDO_OK)
    return unavailable("cannot open the token " + chosen + ": " + fido_strerr(rc));
  if (!fido_dev_is_fido2(dev.get()))
    return unavailable("the token " + chosen + " speaks only U2F, not FIDO2");
  out = std::move(dev);
  return std::nullopt;
}

void ask_for_touch(std::string_view why) {
  std::fprintf(stderr, "dmp-sign-fido2: touch the token (%.*s)\n", static_cast<int>(why.size()),
               why.data());
}

// One assertion of `credential` with hmac-secret `salt`, asserting exactly
// as the flags say; the 32-byte output, or an error reply.
std::optional<Message> assert_hmac_secret(fido_dev_t* dev, const Common& c,
                                          std::span<const std::uint8_t> credential,
                                          std::span<const std::uint8_t> salt,
                                          SecretBuffer& output) {
  Assert assertion(fido_assert_new());
  std::uint8_t client_data_hash[32];
  randombytes_buf(client_data_hash, sizeof client_data_hash);
  const bool up = (c.flags & kFlagUserPresence) != 0;
  const bool uv = (c.flags & kFlagUserVerification) != 0;
  int rc =
      fido_assert_set_clientdata_hash(assertion.get(), client_data_hash, sizeof client_data_hash);
  if (rc == FIDO_OK) rc = fido_assert_set_rp(assertion.get(), c.rp_id.c_str());
  if (rc == FIDO_OK)
    rc = fido_assert_allow_cred(assertion.get(), credential.data(), credential.size());
  if (rc == FIDO_OK) rc = fido_assert_set_extensions(assertion.get(), FIDO_EXT_HMAC_SECRET);
  if (rc == FIDO_OK) rc = fido_assert_set_hmac_salt(assertion.get(), salt.data(), salt.size());
  if (rc == FIDO_OK) rc = fido_assert_set_up(assertion.get(), up ? FIDO_OPT_TRUE : FIDO_OPT_FALSE);
  if (rc != FIDO_OK) return token_error(rc, dev, "assertion");
  if (up) ask_for_touch("to unlock the key");
  rc = fido_dev_get_assert(dev, assertion.get(), uv ? pin_of(c) : nullptr);
  if (rc != FIDO_OK) return token_error(rc, dev, "assertion");
  if (fido_assert_count(assertion.get()) != 1)
    return unavailable("assertion: the token returned no or several assertions");
  // The token must have done what the enrolment recorded, or the output
  // (which depends on UV) will not unwrap anyway: say why now.
  const std::uint8_t flags = fido_assert_flags(assertion.get(), 0);
  if (uv && (flags & kAuthDataUv) == 0)
    return error_reply(Reason::token_denied, "assertion: the token did not verify the PIN");
  if (up && (flags & kAuthDataUp) == 0)
    return error_reply(Reason::token_denied, "assertion: the token did not confirm a touch");
  if (fido_assert_hmac_secret_len(assertion.get(), 0) != kHmacSecretLen)
    return unavailable("assertion: the token returned no hmac-secret output");
  output = SecretBuffer(kHmacSecretLen);
  std::copy_n(fido_assert_hmac_secret_ptr(assertion.get(), 0), kHmacSecretLen, output.data());
  return std::nullopt;
}

// Does the token hold `credential`? A silent assertion without user
// presence or PIN, so the operator touches only the token that matters.
bool holds_credential(fido_dev_t* dev, const std::string& rp_id,
                      std::span<const std::uint8_t> credential) {
  Assert probe(fido_assert_new());
  std::uint8_t client_data_hash[32];
  randombytes_buf(client_data_hash, sizeof client_data_hash);
  return fido_assert_set_clientdata_hash(probe.get(), client_data_hash, sizeof client_data_hash) ==
             FIDO_OK &&
         fido_assert_set_rp(probe.get(), rp_id.c_str()) == FIDO_OK &&
         fido_assert_allow_cred(probe.get(), credential.data(), credential.size()) == FIDO_OK &&
         fido_assert_set_up(probe.get(), FIDO_OPT_FALSE) == FIDO_OK &&
         fido_dev_get_assert(dev, probe.get(), nullptr) == FIDO_OK;
}

// From the token's getInfo: does it offer the hmac-secret extension?
bool supports_hmac_secret(fido_dev_t* dev) {
  struct InfoFree {
    void operator()(fido_cbor_info_t* i) const { fido_cbor_info_free(&i); }
  };
  std::unique_ptr<fido_cbor_info_t, InfoFree> info(fido_cbor_info_new());
  if (!info || fido_dev_get_cbor_info(dev, info.get()) != FIDO_OK) return false;
  char** extensions = fido_cbor_info_extensions_ptr(info.get());
  for (std::size_t i = 0; i < fido_cbor_info_extensions_len(info.get()); ++i)
    if (std::string_view(extensions[i]) == "hmac-secret") return true;
  return false;
}

Message ok_with_secret(std::uint8_t first_tag, std::span<const std::uint8_t> first,
                       const SecretBuffer& secret) {
  Message reply = helper::ok_reply();
  reply.add(first_tag, first);
  reply.add(kTagHmacSecret, secret.span());
  return reply;
}

Message list(DeviceSource& devices) {
  std::string lines;
  for (const auto& d : devices.list())
    lines += d.path + "\t" + d.product + "\n";
  Message reply = helper::ok_reply();
  reply.add(kTagDevices, lines);
  return reply;
}

Message enroll(const Message& request, DeviceSource& devices) {
  Common c;
  if (auto bad = read_common(request, c)) return std::move(*bad);
  const auto* salt = request.find(kTagSalt);
  if (salt == nullptr || salt->value.size() != kSaltLen)
    return error_reply(Reason::helper_protocol, "enroll without a 32-byte salt");
  Device dev;
  std::string chosen;
  if (auto bad = open_device(devices, c.device, dev, chosen)) return std::move(*bad);
  if ((c.flags & kFlagUserVerification) != 0 && !fido_dev_has_pin(dev.get()))
    return token_error(FIDO_ERR_PIN_NOT_SET, dev.get(), "enrolment");
  if (!supports_hmac_secret(dev.get()))
    return token_error(FIDO_ERR_UNSUPPORTED_EXTENSION, dev.get(), "enrolment");

  Cred cred(fido_cred_new());
  std::uint8_t client_data_hash[32];
  std::uint8_t user_id[32];
  randombytes_buf(client_data_hash, sizeof client_data_hash);
  randombytes_buf(user_id, sizeof user_id);
  int rc = fido_cred_set_type(cred.get(), COSE_ES256);
  if (rc == FIDO_OK)
    rc = fido_cred_set_clientdata_hash(cred.get(), client_data_hash, sizeof client_data_hash);
  if (rc == FIDO_OK) rc = fido_cred_set_rp(cred.get(), c.rp_id.c_str(), "dmp-signer");
  if (rc == FIDO_OK)
    rc = fido_cred_set_user(cred.get(), user_id, sizeof user_id, "dmp-signer operator key", nullptr,
                            nullptr);
  if (rc == FIDO_OK) rc = fido_cred_set_extensions(cred.get(), FIDO_EXT_HMAC_SECRET);
  if (rc == FIDO_OK)
    rc = fido_cred_set_rk(cred.get(), FIDO_OPT_OMIT);  // nothing stored on the token
  if (rc != FIDO_OK) return token_error(rc, dev.get(), "enrolment");
  ask_for_touch("1 of 2: create the credential");
  // A token with a PIN requires it to make a credential, whatever the slot
  // later asserts with.
  if (fido_dev_has_pin(dev.get()) && !c.pin)
    return token_error(FIDO_ERR_PIN_REQUIRED, dev.get(), "enrolment");
  rc = fido_dev_make_cred(dev.get(), cred.get(), fido_dev_has_pin(dev.get()) ? pin_of(c) : nullptr);
  if (rc != FIDO_OK) return token_error(rc, dev.get(), "enrolment");
  const std::span<const std::uint8_t> credential(fido_cred_id_ptr(cred.get()),
                                                 fido_cred_id_len(cred.get()));
  if (credential.empty() || credential.size() > kMaxCredentialIdLen)
    return unavailable("enrolment: the token returned a credential id of " +
                       std::to_string(credential.size()) + " bytes (1..1023 expected)");

  SecretBuffer output;
  std::fprintf(stderr, "dmp-sign-fido2: 2 of 2: ");
  if (auto bad = assert_hmac_secret(dev.get(), c, credential, salt->value.span(), output))
    return std::move(*bad);
  Message reply = ok_with_secret(kTagCredentialId, credential, output);
  for (const auto& d : devices.list())
    if (d.path == chosen) {
      reply.add(kTagProduct, d.product);
      break;
    }
  return reply;
}

Message unwrap(const Message& request, DeviceSource& devices) {
  Common c;
  if (auto bad = read_common(request, c)) return std::move(*bad);
  const auto* packed = request.find(kTagSlots);
  if (packed == nullptr) return error_reply(Reason::helper_protocol, "unwrap without slots");
  auto slots = unpack_slots(packed->value.span());
  if (!slots) return error_reply(slots.error().reason, slots.error().message());

  // The named token, or every token present until one holds a credential.
  std::vector<std::string> paths;
  if (!c.device.empty()) {
    paths.push_back(c.device);
  } else {
    for (const auto& d : devices.list())
      paths.push_back(d.path);
    if (paths.empty()) return unavailable("no FIDO2 token found: plug in an enrolled token");
  }
  for (const auto& path : paths) {
    Device dev;
    std::string chosen;
    if (auto bad = open_device(devices, path, dev, chosen)) {
      if (paths.size() == 1) return std::move(*bad);
      continue;
    }
    for (std::size_t i = 0; i < slots->size(); ++i) {
      const SlotRef& slot = (*slots)[i];
      if (!holds_credential(dev.get(), c.rp_id, slot.credential_id)) continue;
      SecretBuffer output;
      if (auto bad = assert_hmac_secret(dev.get(), c, slot.credential_id, slot.salt, output))
        return std::move(*bad);
      const std::uint8_t index = static_cast<std::uint8_t>(i);
      return ok_with_secret(kTagSlotIndex, std::span(&index, 1), output);
    }
  }
  return unavailable(paths.size() == 1
                         ? "the token is not enrolled in this key file"
                         : "none of the plugged-in tokens is enrolled in this key file");
}

}  // namespace

Message handle_request(const Message& request, DeviceSource& devices) {
  switch (request.kind) {
    case kKindList:
      return list(devices);
    case kKindEnroll:
      return enroll(request, devices);
    case kKindUnwrap:
      return unwrap(request, devices);
    default:
      return error_reply(Reason::helper_protocol,
                         "unknown request kind " + std::to_string(request.kind));
  }
}

}  // namespace dmp::hsm::fido2
