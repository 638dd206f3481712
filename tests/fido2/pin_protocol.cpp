#include "pin_protocol.hpp"

#include <algorithm>

namespace dmp::soft_fido2 {
namespace {

// authenticatorClientPIN request keys and subcommands.
constexpr int64_t kPinProtocol = 1;
constexpr int64_t kSubCommand = 2;
constexpr int64_t kKeyAgreement = 3;
constexpr int64_t kPinAuth = 4;
constexpr int64_t kNewPinEnc = 5;
constexpr int64_t kPinHashEnc = 6;
enum SubCommand : int64_t {
  kGetRetries = 1,
  kGetKeyAgreement = 2,
  kSetPin = 3,
  kChangePin = 4,
  kGetPinToken = 5,
};

constexpr int kMaxConsecutiveFailures = 3;  // then PIN_AUTH_BLOCKED until a power cycle
constexpr size_t kPaddedPinSize = 64;

Reply ok_map(CborPairs pairs) {
  return {status::kOk, cbor_encode(*cbor_map(std::move(pairs)))};
}

// newPinEnc holds the PIN zero-padded to 64 bytes; the PIN must be 4..63 bytes.
uint8_t new_pin_hash(ByteView shared, ByteView new_pin_enc, Bytes& hash) {
  if (new_pin_enc.size() != kPaddedPinSize) return status::kInvalidParameter;
  const auto padded = aes256_cbc(shared, new_pin_enc, false);
  if (!padded) return status::kInvalidParameter;
  const auto end = std::find(padded->begin(), padded->end(), 0);
  const auto length = static_cast<size_t>(end - padded->begin());
  if (length < 4 || length >= kPaddedPinSize) return status::kPinPolicyViolation;
  hash = sha256(ByteView(padded->data(), length));
  hash.resize(16);
  return status::kOk;
}

}  // namespace

Bytes pin_auth(ByteView key, ByteView message) {
  Bytes mac = hmac_sha256(key, message);
  mac.resize(16);
  return mac;
}

PinSession::PinSession() : key_(P256Key::generate()), pin_token_(random_bytes(32)) {}

Cbor PinSession::key_agreement() const {
  CborPairs pairs;
  pairs.emplace_back(cbor_int(1), cbor_int(2));    // kty: EC2
  pairs.emplace_back(cbor_int(3), cbor_int(-25));  // alg: ECDH-ES+HKDF-256
  pairs.emplace_back(cbor_int(-1), cbor_int(1));   // crv: P-256
  pairs.emplace_back(cbor_int(-2), cbor_bytes(key_.x()));
  pairs.emplace_back(cbor_int(-3), cbor_bytes(key_.y()));
  return cbor_map(std::move(pairs));
}

std::optional<Bytes> PinSession::shared_secret(const cbor_item_t* platform_key) const {
  const auto x = as_bytes(map_get(platform_key, -2));
  const auto y = as_bytes(map_get(platform_key, -3));
  if (!x || !y) return std::nullopt;
  const auto peer = P256Key::from_public(*x, *y);
  if (!peer) return std::nullopt;
  const auto z = key_.ecdh_x(*peer);
  if (!z) return std::nullopt;
  return sha256(*z);
}

bool PinSession::pin_auth_valid(ByteView client_data_hash, ByteView auth) const {
  return equal_ct(pin_auth(pin_token_, client_data_hash), auth);
}

Reply PinSession::client_pin(const cbor_item_t* request, TokenState& state) {
  const auto protocol = as_int(map_get(request, kPinProtocol));
  const auto sub_command = as_int(map_get(request, kSubCommand));
  if (!protocol || !sub_command) return error(status::kMissingParameter);
  if (*protocol != 1) return error(status::kInvalidParameter);
  switch (*sub_command) {
    case kGetRetries: {
      CborPairs pairs;
      pairs.emplace_back(cbor_int(3), cbor_int(state.pin_retries));
      return ok_map(std::move(pairs));
    }
    case kGetKeyAgreement:
      return get_key_agreement();
    case kSetPin:
      return set_pin(request, state);
    case kChangePin:
      return change_pin(request, state);
    case kGetPinToken:
      return get_pin_token(request, state);
    default:
      return error(status::kInvalidParameter);
  }
}

Reply PinSession::get_key_agreement() const {
  CborPairs pairs;
  pairs.emplace_back(cbor_int(1), key_agreement());
  return ok_map(std::move(pairs));
}

Reply PinSession::set_pin(const cbor_item_t* request, TokenState& state) {
  const cbor_item_t* platform_key = map_get(request, kKeyAgreement);
  const auto auth = as_bytes(map_get(request, kPinAuth));
  const auto new_pin_enc = as_bytes(map_get(request, kNewPinEnc));
  if (platform_key == nullptr || !auth || !new_pin_enc) return error(status::kMissingParameter);
  if (state.pin_hash) return error(status::kPinAuthInvalid);  // CTAP 2.0: already set
  const auto shared = shared_secret(platform_key);
  if (!shared) return error(status::kInvalidParameter);
  if (!equal_ct(pin_auth(*shared, *new_pin_enc), *auth)) return error(status::kPinAuthInvalid);
  Bytes hash;
  if (const uint8_t st = new_pin_hash(*shared, *new_pin_enc, hash); st != status::kOk) {
    return error(st);
  }
  state.pin_hash = hash;
  state.pin_retries = kMaxPinRetries;
  return {};
}

Reply PinSession::change_pin(const cbor_item_t* request, TokenState& state) {
  const cbor_item_t* platform_key = map_get(request, kKeyAgreement);
  const auto auth = as_bytes(map_get(request, kPinAuth));
  const auto new_pin_enc = as_bytes(map_get(request, kNewPinEnc));
  const cbor_item_t* pin_hash_enc = map_get(request, kPinHashEnc);
  if (platform_key == nullptr || !auth || !new_pin_enc || pin_hash_enc == nullptr) {
    return error(status::kMissingParameter);
  }
  if (!state.pin_hash) return error(status::kPinNotSet);
  if (state.pin_retries <= 0) return error(status::kPinBlocked);
  if (consecutive_failures_ >= kMaxConsecutiveFailures) return error(status::kPinAuthBlocked);
  const auto shared = shared_secret(platform_key);
  const auto hash_enc = as_bytes(pin_hash_enc);
  if (!shared || !hash_enc) return error(status::kInvalidParameter);
  Bytes message = *new_pin_enc;
  message.insert(message.end(), hash_enc->begin(), hash_enc->end());
  if (!equal_ct(pin_auth(*shared, message), *auth)) return error(status::kPinAuthInvalid);
  if (const uint8_t st = check_pin_hash(*shared, pin_hash_enc, state); st != status::kOk) {
    return error(st);
  }
  Bytes hash;
  if (const uint8_t st = new_pin_hash(*shared, *new_pin_enc, hash); st != status::kOk) {
    return error(st);
  }
  state.pin_hash = hash;
  return {};
}

Reply PinSession::get_pin_token(const cbor_item_t* request, TokenState& state) {
  const cbor_item_t* platform_key = map_get(request, kKeyAgreement);
  const cbor_item_t* pin_hash_enc = map_get(request, kPinHashEnc);
  if (platform_key == nullptr || pin_hash_enc == nullptr) return error(status::kMissingParameter);
  if (!state.pin_hash) return error(status::kPinNotSet);
  if (state.pin_retries <= 0) return error(status::kPinBlocked);
  if (consecutive_failures_ >= kMaxConsecutiveFailures) return error(status::kPinAuthBlocked);
  const auto shared = shared_secret(platform_key);
  if (!shared) return error(status::kInvalidParameter);
  if (const uint8_t st = check_pin_hash(*shared, pin_hash_enc, state); st != status::kOk) {
    return error(st);
  }
  CborPairs pairs;
  pairs.emplace_back(cbor_int(2), cbor_bytes(*aes256_cbc(*shared, pin_token_, true)));
  return ok_map(std::move(pairs));
}

uint8_t PinSession::check_pin_hash(ByteView shared, const cbor_item_t* pin_hash_enc,
                                   TokenState& state) {
  // CTAP 2.0 §5.5.5: the counter goes down before the comparison and is only
  // restored by a correct PIN.
  --state.pin_retries;
  const auto hash_enc = as_bytes(pin_hash_enc);
  const auto hash = hash_enc ? aes256_cbc(shared, *hash_enc, false) : std::nullopt;
  if (hash && equal_ct(*hash, *state.pin_hash)) {
    state.pin_retries = kMaxPinRetries;
    consecutive_failures_ = 0;
    return status::kOk;
  }
  key_ = P256Key::generate();  // the platform has to agree on a new key to retry
  ++consecutive_failures_;
  if (state.pin_retries <= 0) return status::kPinBlocked;
  if (consecutive_failures_ >= kMaxConsecutiveFailures) return status::kPinAuthBlocked;
  return status::kPinInvalid;
}

}  // namespace dmp::soft_fido2
