#include "keyfile/key_store.hpp"

#include <unistd.h>
#include <cstdio>
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
                "this is the reference generator's key file, not a dmp-signer key "
                "file; convert it with: dmp-sign import --dmp-key-file " +
                    path + " --out NEW.key");
  }
  if (!key_file) {
    Error error = key_file.error();
    error.within(path);
    return error;
  }
  return key_file;
}

namespace {

// A person who typed a passphrase waits for the KDF and is told why; a
// script that passes a passphrase file keeps its one-line stderr contract
// (an error is the only line), unless stderr is a terminal someone watches.
bool someone_is_waiting(const cli::PassphraseSource& passphrase) {
  return (!passphrase.file && !passphrase.fd) || ::isatty(STDERR_FILENO) == 1;
}

void announce_kdf(const char* action, const KdfParams& kdf,
                  const cli::PassphraseSource& passphrase) {
  if (!someone_is_waiting(passphrase)) return;
  std::fprintf(stderr, "dmp-sign: %s key (%s)\u2026\n", action, kdf_cost_text(kdf).c_str());
}

}  // namespace

Result<hsm::SecretBuffer> unlock_seed(const std::string& path, const KeyFile& key_file,
                                      const cli::PassphraseSource& passphrase,
                                      const std::string& prompt) {
  const bool on_terminal = !passphrase.file && !passphrase.fd;
  for (int attempt = 1;; ++attempt) {
    auto secret = cli::read_passphrase(passphrase, prompt, cli::PassphrasePurpose::unlock);
    if (!secret) return secret.error();
    announce_kdf("unlocking", key_file.kdf, passphrase);
    auto seed = open_seed(key_file, *secret);
    if (seed) return seed;
    const int left = kPassphraseAttempts - attempt;
    if (!on_terminal || seed.error().reason != Reason::wrong_passphrase || left == 0) {
      Error error = seed.error();
      error.within(path);
      return error;
    }
    std::fprintf(stderr, "dmp-sign: wrong passphrase; try again (%d attempt%s left)\n", left,
                 left == 1 ? "" : "s");
  }
}

Result<std::unique_ptr<hsm::SeedKey>> unlock_key_file(const std::string& path,
                                                      const cli::PassphraseSource& passphrase) {
  auto key_file = load_key_file(path);
  if (!key_file) return key_file.error();
  auto seed = unlock_seed(path, *key_file, passphrase, "Passphrase for " + path + ": ");
  if (!seed) return seed.error();
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
  announce_kdf("sealing", kdf, passphrase);
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
