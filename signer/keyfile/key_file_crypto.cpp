#include "keyfile/key_file_crypto.hpp"

#include <sodium.h>

#include <cstdlib>

#include "dmp/hsm/file_key.hpp"

namespace dmp::keyfile {
namespace {

Result<hsm::SecretBuffer> derive_key(const hsm::SecretBuffer& passphrase, const KeyFile& key_file) {
  hsm::SecretBuffer key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  if (crypto_pwhash(key.data(), key.size(), reinterpret_cast<const char*>(passphrase.data()),
                    passphrase.size(), key_file.salt.data(), key_file.kdf.opslimit,
                    static_cast<std::size_t>(key_file.kdf.memlimit),
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return fail(Reason::out_of_memory, "",
                "Argon2id could not allocate " + std::to_string(key_file.kdf.memlimit >> 20) +
                    " MiB; free memory or use a machine with more (the cost is never lowered "
                    "silently)");
  }
  return key;
}

}  // namespace

Result<KeyFile> seal_seed(const hsm::SecretBuffer& seed, const hsm::SecretBuffer& passphrase,
                          const KdfParams& kdf, std::string comment, std::uint64_t created) {
  // A programming error, as in SeedKey: any other size would overrun sealed_seed.
  if (seed.size() != crypto_sign_SEEDBYTES) std::abort();
  if (auto bounds = check_kdf_params(kdf); !bounds) return bounds.error();
  if (auto rule = check_comment(comment); !rule) return rule.error();
  KeyFile key_file;
  key_file.kdf = kdf;
  randombytes_buf(key_file.salt.data(), key_file.salt.size());
  randombytes_buf(key_file.nonce.data(), key_file.nonce.size());
  key_file.public_key = hsm::public_key_of_seed(seed);
  key_file.created = created;
  key_file.comment = std::move(comment);

  auto key = derive_key(passphrase, key_file);
  if (!key) return key.error();
  const Bytes header = encode_header(key_file);
  unsigned long long sealed_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(key_file.sealed_seed.data(), &sealed_len, seed.data(),
                                             seed.size(), header.data(), header.size(), nullptr,
                                             key_file.nonce.data(), key->data());
  return key_file;
}

Result<hsm::SecretBuffer> open_seed(const KeyFile& key_file, const hsm::SecretBuffer& passphrase) {
  auto key = derive_key(passphrase, key_file);
  if (!key) return key.error();
  const Bytes header = encode_header(key_file);
  hsm::SecretBuffer seed(crypto_sign_SEEDBYTES);
  unsigned long long seed_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          seed.data(), &seed_len, nullptr, key_file.sealed_seed.data(), key_file.sealed_seed.size(),
          header.data(), header.size(), key_file.nonce.data(), key->data()) != 0) {
    return fail(Reason::wrong_passphrase, "key file",
                "wrong passphrase, or the file was modified (authentication failed)");
  }
  if (hsm::public_key_of_seed(seed) != key_file.public_key) {
    return fail(Reason::key_mismatch, "key file",
                "the decrypted seed does not give the stored public key");
  }
  return seed;
}

}  // namespace dmp::keyfile
