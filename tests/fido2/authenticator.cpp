#include "authenticator.hpp"

#include "credential.hpp"
#include "dmp/encoding.hpp"

namespace dmp::soft_fido2 {
namespace {

constexpr int64_t kEs256 = -7;
constexpr uint64_t kMaxMsgSize = 1200;  // what a YubiKey 5 reports

// authenticatorData flags.
constexpr uint8_t kFlagUp = 0x01;
constexpr uint8_t kFlagUv = 0x04;
constexpr uint8_t kFlagAttested = 0x40;
constexpr uint8_t kFlagExtensions = 0x80;

Reply ok_map(CborPairs pairs) {
  return {status::kOk, cbor_encode(*cbor_map(std::move(pairs)))};
}

void append(Bytes& out, ByteView data) {
  out.insert(out.end(), data.begin(), data.end());
}

Bytes auth_data(ByteView rp_id_hash, uint8_t flags, uint32_t sign_count) {
  Bytes out(rp_id_hash.begin(), rp_id_hash.end());
  out.push_back(flags);
  encoding::write_be(out, sign_count, 4);
  return out;
}

Cbor es256_cose_key(const P256Key& key) {
  CborPairs pairs;
  pairs.emplace_back(cbor_int(1), cbor_int(2));  // kty: EC2
  pairs.emplace_back(cbor_int(3), cbor_int(kEs256));
  pairs.emplace_back(cbor_int(-1), cbor_int(1));  // crv: P-256
  pairs.emplace_back(cbor_int(-2), cbor_bytes(key.x()));
  pairs.emplace_back(cbor_int(-3), cbor_bytes(key.y()));
  return cbor_map(std::move(pairs));
}

Cbor text_array(std::initializer_list<std::string_view> texts) {
  std::vector<Cbor> items;
  for (auto t : texts)
    items.push_back(cbor_text(t));
  return cbor_array(std::move(items));
}

// Simulated user: touches, walks away (the token times out), or declines.
uint8_t user_presence(const TokenState& state, const Authenticator::WaitingForUser& waiting) {
  waiting();
  switch (state.presence) {
    case Presence::kTouch:
      return status::kOk;
    case Presence::kNoTouch:
      return status::kUserActionTimeout;
    case Presence::kDeny:
      return status::kOperationDenied;
  }
  return status::kOther;
}

bool is_array(const cbor_item_t* item) {
  return item != nullptr && cbor_isa_array(item) && cbor_array_is_definite(item);
}

bool is_map(const cbor_item_t* item) {
  return item != nullptr && cbor_isa_map(item) && cbor_map_is_definite(item);
}

bool offers_es256(const cbor_item_t* params) {
  if (!is_array(params)) return false;
  for (size_t i = 0; i < cbor_array_size(params); ++i) {
    const cbor_item_t* p = cbor_array_handle(params)[i];
    if (as_int(map_get(p, "alg")) == kEs256 && as_text(map_get(p, "type")) == "public-key") {
      return true;
    }
  }
  return false;
}

// The first credential id in a descriptor list that this token made for this RP.
std::optional<std::pair<Bytes, Credential>> find_credential(const cbor_item_t* list,
                                                            const TokenState& state,
                                                            ByteView rp_id_hash) {
  if (!is_array(list)) return std::nullopt;
  for (size_t i = 0; i < cbor_array_size(list); ++i) {
    const auto id = as_bytes(map_get(cbor_array_handle(list)[i], "id"));
    if (!id) continue;
    if (auto credential = unwrap_credential(state.master_secret, rp_id_hash, *id)) {
      return std::pair{*id, *credential};
    }
  }
  return std::nullopt;
}

}  // namespace

Bytes Authenticator::handle(ByteView message, const WaitingForUser& waiting) {
  Reply reply;
  auto state = load_state(state_file_);
  Cbor request;
  if (message.empty()) {
    reply = error(status::kInvalidLength);
  } else if (!state) {
    reply = error(status::kOther);
  } else if (message.size() > 1 && !(request = cbor_decode(message.subspan(1)))) {
    reply = error(status::kInvalidCbor);
  } else if (request && !is_map(request.get())) {
    reply = error(status::kCborUnexpectedType);
  } else {
    const TokenState before = *state;
    reply = dispatch(message[0], request.get(), *state, waiting);
    if (*state != before && !save_state(state_file_, *state)) reply = error(status::kOther);
  }
  reply.cbor.insert(reply.cbor.begin(), reply.status);
  return std::move(reply.cbor);
}

Reply Authenticator::dispatch(uint8_t command, const cbor_item_t* request, TokenState& state,
                              const WaitingForUser& waiting) {
  if (command == cmd::kGetInfo) return get_info(state);
  if (request == nullptr) {
    const bool known = command == cmd::kMakeCredential || command == cmd::kGetAssertion ||
                       command == cmd::kClientPin;
    return error(known ? status::kMissingParameter : status::kInvalidCommand);
  }
  switch (command) {
    case cmd::kMakeCredential:
      return make_credential(request, state, waiting);
    case cmd::kGetAssertion:
      return get_assertion(request, state, waiting);
    case cmd::kClientPin:
      return pin_.client_pin(request, state);
    default:
      return error(status::kInvalidCommand);
  }
}

Reply Authenticator::get_info(const TokenState& state) const {
  CborPairs options;
  options.emplace_back(cbor_text("rk"), cbor_bool(false));
  options.emplace_back(cbor_text("up"), cbor_bool(true));
  options.emplace_back(cbor_text("clientPin"), cbor_bool(state.pin_hash.has_value()));
  std::vector<Cbor> protocols;
  protocols.push_back(cbor_int(1));
  CborPairs pairs;
  pairs.emplace_back(cbor_int(1), text_array({"FIDO_2_0"}));
  pairs.emplace_back(cbor_int(2), text_array({"hmac-secret"}));
  pairs.emplace_back(cbor_int(3), cbor_bytes(state.aaguid));
  pairs.emplace_back(cbor_int(4), cbor_map(std::move(options)));
  pairs.emplace_back(cbor_int(5), cbor_int(kMaxMsgSize));
  pairs.emplace_back(cbor_int(6), cbor_array(std::move(protocols)));
  return ok_map(std::move(pairs));
}

uint8_t Authenticator::check_pin_auth(const cbor_item_t* auth, const cbor_item_t* protocol,
                                      ByteView client_data_hash, const TokenState& state,
                                      bool& uv) const {
  uv = false;
  if (auth == nullptr) return status::kOk;
  const auto auth_bytes = as_bytes(auth);
  if (!auth_bytes) return status::kCborUnexpectedType;
  if (as_int(protocol) != 1) return status::kPinAuthInvalid;
  if (!state.pin_hash) return status::kPinNotSet;
  if (!pin_.pin_auth_valid(client_data_hash, *auth_bytes)) return status::kPinAuthInvalid;
  uv = true;
  return status::kOk;
}

Reply Authenticator::make_credential(const cbor_item_t* request, TokenState& state,
                                     const WaitingForUser& waiting) {
  const auto client_data_hash = as_bytes(map_get(request, 1));
  const auto rp_id = as_text(map_get(map_get(request, 2), "id"));
  const cbor_item_t* user = map_get(request, 3);
  const cbor_item_t* params = map_get(request, 4);
  if (!client_data_hash || !rp_id || !is_map(user) || params == nullptr) {
    return error(status::kMissingParameter);
  }
  if (client_data_hash->size() != 32) return error(status::kInvalidLength);
  if (!offers_es256(params)) return error(status::kUnsupportedAlgorithm);
  const cbor_item_t* options = map_get(request, 7);
  if (as_bool(map_get(options, "rk")) == true || as_bool(map_get(options, "uv")) == true) {
    return error(status::kUnsupportedOption);  // no resident keys, no built-in UV
  }
  if (map_get(options, "up") != nullptr) return error(status::kInvalidOption);
  const bool want_hmac_secret = as_bool(map_get(map_get(request, 6), "hmac-secret")) == true;

  const Bytes rp_id_hash =
      sha256(ByteView(reinterpret_cast<const uint8_t*>(rp_id->data()), rp_id->size()));
  const cbor_item_t* auth = map_get(request, 8);
  if (const auto bytes = as_bytes(auth); bytes && bytes->empty()) {
    // A zero-length pinAuth asks "touch me, then tell me whether a PIN is set".
    if (const uint8_t st = user_presence(state, waiting); st != status::kOk) return error(st);
    return error(state.pin_hash ? status::kPinInvalid : status::kPinNotSet);
  }
  bool uv = false;
  if (const uint8_t st = check_pin_auth(auth, map_get(request, 9), *client_data_hash, state, uv);
      st != status::kOk) {
    return error(st);
  }
  if (!uv && state.pin_hash) return error(status::kPinRequired);
  if (find_credential(map_get(request, 5), state, rp_id_hash)) {
    const uint8_t st = user_presence(state, waiting);
    return error(st == status::kOk ? status::kCredentialExcluded : st);
  }
  if (const uint8_t st = user_presence(state, waiting); st != status::kOk) return error(st);

  const Credential credential = new_credential(want_hmac_secret);
  const Bytes id = wrap_credential(state.master_secret, rp_id_hash, credential);
  const auto key = P256Key::from_private(credential.private_key);
  if (!key) return error(status::kOther);
  const uint8_t flags = static_cast<uint8_t>(kFlagUp | (uv ? kFlagUv : 0) | kFlagAttested |
                                             (want_hmac_secret ? kFlagExtensions : 0));
  Bytes data = auth_data(rp_id_hash, flags, ++state.sign_count);
  append(data, state.aaguid);
  encoding::write_be(data, id.size(), 2);
  append(data, id);
  append(data, cbor_encode(*es256_cose_key(*key)));
  if (want_hmac_secret) {
    CborPairs extensions;
    extensions.emplace_back(cbor_text("hmac-secret"), cbor_bool(true));
    append(data, cbor_encode(*cbor_map(std::move(extensions))));
  }

  // "packed" self attestation: the credential key signs authData || clientDataHash.
  Bytes signed_data = data;
  append(signed_data, *client_data_hash);
  CborPairs statement;
  statement.emplace_back(cbor_text("alg"), cbor_int(kEs256));
  statement.emplace_back(cbor_text("sig"), cbor_bytes(key->sign(signed_data)));
  CborPairs pairs;
  pairs.emplace_back(cbor_int(1), cbor_text("packed"));
  pairs.emplace_back(cbor_int(2), cbor_bytes(data));
  pairs.emplace_back(cbor_int(3), cbor_map(std::move(statement)));
  return ok_map(std::move(pairs));
}

Reply Authenticator::get_assertion(const cbor_item_t* request, TokenState& state,
                                   const WaitingForUser& waiting) {
  const auto rp_id = as_text(map_get(request, 1));
  const auto client_data_hash = as_bytes(map_get(request, 2));
  if (!rp_id || !client_data_hash) return error(status::kMissingParameter);
  if (client_data_hash->size() != 32) return error(status::kInvalidLength);
  const cbor_item_t* options = map_get(request, 5);
  if (as_bool(map_get(options, "uv")) == true) return error(status::kUnsupportedOption);
  if (map_get(options, "rk") != nullptr) return error(status::kInvalidOption);
  const bool up = as_bool(map_get(options, "up")).value_or(true);
  bool uv = false;
  if (const uint8_t st =
          check_pin_auth(map_get(request, 6), map_get(request, 7), *client_data_hash, state, uv);
      st != status::kOk) {
    return error(st);
  }

  const Bytes rp_id_hash =
      sha256(ByteView(reinterpret_cast<const uint8_t*>(rp_id->data()), rp_id->size()));
  // No resident keys: without an allowList entry of ours there is nothing to use.
  const auto found = find_credential(map_get(request, 3), state, rp_id_hash);
  if (!found) return error(status::kNoCredentials);
  const auto& [id, credential] = *found;
  if (up) {
    if (const uint8_t st = user_presence(state, waiting); st != status::kOk) return error(st);
  }

  const cbor_item_t* hmac_input = map_get(map_get(request, 4), "hmac-secret");
  std::optional<Bytes> hmac_output;
  if (hmac_input != nullptr && credential.hmac_secret) {
    uint8_t st = status::kOk;
    hmac_output =
        hmac_secret(hmac_input, uv ? credential.cred_random_uv : credential.cred_random_no_uv, st);
    if (!hmac_output) return error(st);
  }
  const auto key = P256Key::from_private(credential.private_key);
  if (!key) return error(status::kOther);
  const uint8_t flags = static_cast<uint8_t>((up ? kFlagUp : 0) | (uv ? kFlagUv : 0) |
                                             (hmac_output ? kFlagExtensions : 0));
  Bytes data = auth_data(rp_id_hash, flags, ++state.sign_count);
  if (hmac_output) {
    CborPairs extensions;
    extensions.emplace_back(cbor_text("hmac-secret"), cbor_bytes(*hmac_output));
    append(data, cbor_encode(*cbor_map(std::move(extensions))));
  }
  Bytes signed_data = data;
  append(signed_data, *client_data_hash);

  CborPairs descriptor;
  descriptor.emplace_back(cbor_text("id"), cbor_bytes(id));
  descriptor.emplace_back(cbor_text("type"), cbor_text("public-key"));
  CborPairs pairs;
  pairs.emplace_back(cbor_int(1), cbor_map(std::move(descriptor)));
  pairs.emplace_back(cbor_int(2), cbor_bytes(data));
  pairs.emplace_back(cbor_int(3), cbor_bytes(key->sign(signed_data)));
  return ok_map(std::move(pairs));
}

// hmac-secret (CTAP 2.0 §12.5): {1: keyAgreement, 2: saltEnc, 3: saltAuth}
// gives AES-CBC(shared, HMAC(CredRandom, salt1) [|| HMAC(CredRandom, salt2)]).
std::optional<Bytes> Authenticator::hmac_secret(const cbor_item_t* input, ByteView cred_random,
                                                uint8_t& st) const {
  const cbor_item_t* platform_key = map_get(input, 1);
  const auto salt_enc = as_bytes(map_get(input, 2));
  const auto salt_auth = as_bytes(map_get(input, 3));
  st = status::kMissingParameter;
  if (platform_key == nullptr || !salt_enc || !salt_auth) return std::nullopt;
  st = status::kInvalidParameter;
  if (const auto protocol = as_int(map_get(input, 4)); protocol && *protocol != 1) {
    return std::nullopt;
  }
  const auto shared = pin_.shared_secret(platform_key);
  if (!shared) return std::nullopt;
  st = status::kPinAuthInvalid;
  if (!equal_ct(pin_auth(*shared, *salt_enc), *salt_auth)) return std::nullopt;
  st = status::kInvalidLength;
  const auto salts = aes256_cbc(*shared, *salt_enc, false);
  if (!salts || (salts->size() != 32 && salts->size() != 64)) return std::nullopt;
  Bytes output;
  for (size_t offset = 0; offset < salts->size(); offset += 32) {
    append(output, hmac_sha256(cred_random, ByteView(*salts).subspan(offset, 32)));
  }
  st = status::kOk;
  return aes256_cbc(*shared, output, true);
}

}  // namespace dmp::soft_fido2
