#include "keyfile/key_access.hpp"

#include "common/private_file.hpp"
#include "keyfile/key_store.hpp"

namespace dmp::keyfile {
namespace {

// The first line decides the kind; reading it applies the privacy checks.
Result<bool> is_fido2_key_file(const std::string& path) {
  auto text = cli::read_private_file(path, fido2::kMaxArmoredLen, "key file");
  if (!text) return text.error();
  return fido2::looks_like_fido2_key_file(
      std::string_view(reinterpret_cast<const char*>(text->data()), text->size()));
}

}  // namespace

std::string KeyInfo::describe(const std::string& path) const {
  return kind + " " + path + (comment.empty() ? "" : " (" + comment + ")");
}

Result<KeyInfo> load_key_info(const std::string& path, const KeyAccess& access) {
  if (looks_like_pkcs11_uri(path)) {
    auto details = pkcs11_public_key(path, access.pkcs11);
    if (!details) return details.error();
    return KeyInfo{details->public_key, "PKCS#11 key", details->label, 0, std::nullopt};
  }
  auto fido2 = is_fido2_key_file(path);
  if (!fido2) return fido2.error();
  if (*fido2) {
    auto file = load_fido2_key_file(path);
    if (!file) return file.error();
    return KeyInfo{file->public_key, "FIDO2 key file", file->comment, file->created, std::nullopt};
  }
  auto file = load_key_file(path);
  if (!file) return file.error();
  return KeyInfo{file->public_key, "key file", file->comment, file->created, file->kdf};
}

Result<std::unique_ptr<hsm::SigningKey>> unlock_signing_key(const std::string& path,
                                                            const KeyAccess& access) {
  if (looks_like_pkcs11_uri(path)) return unlock_pkcs11_key(path, access.pkcs11);
  auto key = unlock_seed_key(path, access);
  if (!key) return key.error();
  return std::unique_ptr<hsm::SigningKey>(std::move(*key));
}

Result<std::unique_ptr<hsm::SeedKey>> unlock_seed_key(const std::string& path,
                                                      const KeyAccess& access) {
  if (looks_like_pkcs11_uri(path)) {
    return fail(Reason::usage, "--key",
                "a PKCS#11 key is non-extractable: no SLIP-39 share can be made of it. Its "
                "backup is a second token holding the same key, or a rotation to a new key "
                "(docs/backup.md)");
  }
  auto fido2 = is_fido2_key_file(path);
  if (!fido2) return fido2.error();
  if (*fido2) {
    auto file = load_fido2_key_file(path);
    if (!file) return file.error();
    auto unlocked = unlock_fido2_key(path, *file, access.fido2);
    if (!unlocked) return unlocked.error();
    return std::move(unlocked->key);
  }
  return unlock_key_file(path, access.passphrase);
}

}  // namespace dmp::keyfile
