#include "keyfile/key_store.hpp"

#include <ctime>

#include "common/private_file.hpp"
#include "keyfile/key_file_crypto.hpp"
#include "keyfile/seed_import.hpp"

namespace dmp::keyfile {

Result<KeyFile> load_key_file(const std::string& path) {
  auto text = cli::read_private_file(path, kMaxArmoredLen, "key file");
  if (!text) return text.error();
  auto key_file = parse_key_file_text(
      std::string_view(reinterpret_cast<const char*>(text->data()), text->size()));
  if (!key_file && looks_like_reference_key_file(text->span())) {
    return fail(Reason::key_format, path,
                path +
                    ": this is the reference generator's key file, not a dmp-signer key "
                    "file; convert it with: dmp-sign import --dmp-key-file " +
                    path + " --out NEW.key");
  }
  if (!key_file) {
    Error error = key_file.error();
    error.message = path + ": " + error.message;
    return error;
  }
  return key_file;
}

Result<std::unique_ptr<hsm::SeedKey>> unlock_key_file(const std::string& path,
                                                      const cli::PassphraseSource& passphrase) {
  auto key_file = load_key_file(path);
  if (!key_file) return key_file.error();
  auto secret = cli::read_passphrase(passphrase, "Passphrase for " + path + ": ",
                                     cli::PassphrasePurpose::unlock);
  if (!secret) return secret.error();
  auto seed = open_seed(*key_file, *secret);
  if (!seed) {
    Error error = seed.error();
    error.message = path + ": " + error.message;
    return error;
  }
  std::string description = "key file " + path;
  if (!key_file->comment.empty()) description += " (" + key_file->comment + ")";
  return std::make_unique<hsm::SeedKey>(std::move(*seed), std::move(description));
}

Result<KeyFile> write_new_key_file(const std::string& path, const hsm::SecretBuffer& seed,
                                   const cli::PassphraseSource& passphrase, const KdfParams& kdf,
                                   std::string comment) {
  if (auto rule = check_comment(comment); !rule) return rule.error();
  if (auto bounds = check_kdf_params(kdf); !bounds) return bounds.error();
  if (auto can = cli::check_can_create_private_file(path); !can) return can.error();
  auto secret = cli::read_passphrase(passphrase, "New passphrase for " + path + ": ",
                                     cli::PassphrasePurpose::create);
  if (!secret) return secret.error();
  auto key_file = seal_seed(seed, *secret, kdf, std::move(comment),
                            static_cast<std::uint64_t>(std::time(nullptr)));
  if (!key_file) return key_file.error();
  const std::string text = format_key_file_text(*key_file);
  auto written = cli::create_private_file(
      path, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  if (!written) return written.error();
  return key_file;
}

}  // namespace dmp::keyfile
