#include "keyfile/fido2_key_crypto.hpp"

#include <sodium.h>

#include "dmp/hsm/file_key.hpp"

namespace dmp::keyfile::fido2 {
namespace {

constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "DMPFIDO2";
constexpr std::uint64_t kWrapSubkeyId = 1;

Result<hsm::SecretBuffer> wrapping_key(const hsm::SecretBuffer& hmac_secret) {
  static_assert(kHmacSecretLen == crypto_kdf_KEYBYTES);
  if (hmac_secret.size() != kHmacSecretLen)
    return fail(Reason::usage, "", "hmac-secret output must be 32 bytes");
  hsm::SecretBuffer key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  if (crypto_kdf_derive_from_key(key.data(), key.size(), kWrapSubkeyId, kKdfContext,
                                 hmac_secret.data()) != 0)
    return fail(Reason::usage, "", "key derivation failed");
  return key;
}

}  // namespace

Status wrap_seed(const hsm::SecretBuffer& seed, const hsm::SecretBuffer& hmac_secret,
                 const Fido2KeyFile& file, TokenSlot& slot) {
  if (seed.size() != 32) return fail(Reason::usage, "", "seed must be 32 bytes");
  if (hsm::public_key_of_seed(seed) != file.public_key)
    return fail(Reason::key_mismatch, "", "the seed does not give the file's public key");
  if (auto checked = check_slot(slot); !checked) return checked.error();
  auto key = wrapping_key(hmac_secret);
  if (!key) return key.error();
  randombytes_buf(slot.nonce.data(), slot.nonce.size());
  const Bytes ad = slot_associated_data(file, slot);
  unsigned long long wrapped_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(slot.wrapped_seed.data(), &wrapped_len, seed.data(),
                                             seed.size(), ad.data(), ad.size(), nullptr,
                                             slot.nonce.data(), key->data());
  return ok();
}

Result<hsm::SecretBuffer> unwrap_seed(const Fido2KeyFile& file, std::size_t index,
                                      const hsm::SecretBuffer& hmac_secret) {
  if (index >= file.tokens.size())
    return fail(Reason::usage, "", "no token slot " + std::to_string(index + 1));
  const TokenSlot& slot = file.tokens[index];
  auto key = wrapping_key(hmac_secret);
  if (!key) return key.error();
  const Bytes ad = slot_associated_data(file, slot);
  hsm::SecretBuffer seed(32);
  unsigned long long seed_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          seed.data(), &seed_len, nullptr, slot.wrapped_seed.data(), slot.wrapped_seed.size(),
          ad.data(), ad.size(), slot.nonce.data(), key->data()) != 0 ||
      seed_len != 32)
    return fail(Reason::wrong_passphrase, "fido2 key file",
                "token " + std::to_string(index + 1) +
                    " did not unwrap the key: not the enrolled token, or the file was modified");
  if (hsm::public_key_of_seed(seed) != file.public_key)
    return fail(Reason::key_mismatch, "fido2 key file",
                "the unwrapped seed does not give the file's public key");
  return seed;
}

}  // namespace dmp::keyfile::fido2
