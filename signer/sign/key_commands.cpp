#include "sign/key_commands.hpp"
#include "output/terminal_text.hpp"

#include <sodium.h>

#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/cli_conventions.hpp"
#include "common/private_file.hpp"
#include "dmp/encoding.hpp"
#include "dmp/hsm/file_key.hpp"
#include "keyfile/key_access.hpp"
#include "keyfile/key_file_crypto.hpp"
#include "keyfile/key_store.hpp"
#include "keyfile/seed_import.hpp"

namespace dmp::cli {
namespace {

using keyfile::KdfLevel;

constexpr std::size_t kMaxSeedFileLen = 4096;

struct PassphraseOptions {
  std::string file;
  int fd = -1;
  PassphraseSource source() const {
    PassphraseSource s;
    if (!file.empty()) s.file = file;
    if (fd >= 0) s.fd = fd;
    return s;
  }
};

void add_passphrase_options(CLI::App& cmd, PassphraseOptions& options, const std::string& prefix,
                            const std::string& what) {
  auto* file = cmd.add_option("--" + prefix + "passphrase-file", options.file,
                              "read the " + what +
                                  " passphrase from the first line of FILE "
                                  "(mode 0600 or stricter)");
  auto* fd = cmd.add_option("--" + prefix + "passphrase-fd", options.fd,
                            "read the " + what + " passphrase from file descriptor N");
  file->excludes(fd);
}

std::string kdf_description(const keyfile::KdfParams& kdf) {
  return "Argon2id, " + std::to_string(kdf.memlimit >> 20) + " MiB, " +
         std::to_string(kdf.opslimit) + " passes";
}

void print_key_summary(const std::string& path, const keyfile::KeyFile& key_file) {
  std::printf("key file:    %s (%s)\n", output::terminal_safe(path).c_str(),
              kdf_description(key_file.kdf).c_str());
  std::printf("public key:  %s\n", encoding::hex_encode(key_file.public_key).c_str());
  std::printf("fingerprint: %s\n", hsm::fingerprint(key_file.public_key).c_str());
}

// --- keygen ---------------------------------------------------------------
struct KeygenOptions {
  std::string out;
  std::string comment;
  KdfLevel kdf = keyfile::kDefaultKdfLevel;
  PassphraseOptions passphrase;
};

Status run_keygen(const KeygenOptions& o) {
  hsm::SecretBuffer seed(crypto_sign_SEEDBYTES);
  randombytes_buf(seed.data(), seed.size());
  auto key_file = keyfile::write_new_key_file(o.out, seed, o.passphrase.source(),
                                              keyfile::kdf_params(o.kdf), o.comment);
  if (!key_file) return key_file.error();
  print_key_summary(o.out, *key_file);
  warn_if_cheap_kdf(o.kdf);
  return ok();
}

// --- pubkey ---------------------------------------------------------------
struct PubkeyOptions {
  std::string key;
  std::string format = "hex";
};

Status run_pubkey(const PubkeyOptions& o) {
  auto info = keyfile::load_key_info(o.key);  // any kind of key
  if (!info) return info.error();
  nlohmann::json details{
      {"kind", info->kind}, {"comment", info->comment}, {"created", info->created}};
  if (info->kdf) {
    details["kdf"] = {{"algorithm", "argon2id13"},
                      {"opslimit", info->kdf->opslimit},
                      {"memlimit", info->kdf->memlimit}};
  }
  print_public_key(info->public_key, o.format, std::move(details));
  return ok();
}

// --- passwd ---------------------------------------------------------------
struct PasswdOptions {
  std::string key;
  std::optional<KdfLevel> kdf;  // unset: keep the file's parameters
  PassphraseOptions old_passphrase;
  PassphraseOptions new_passphrase;
};

Status run_passwd(const PasswdOptions& o) {
  auto key_file = keyfile::load_key_file(o.key);
  if (!key_file) return key_file.error();
  if (auto dir = check_can_replace_private_file(o.key); !dir) return dir;
  auto seed = keyfile::unlock_seed(o.key, *key_file, o.old_passphrase.source(),
                                   "Current passphrase for " + o.key + ": ");
  if (!seed) return seed.error();
  auto new_secret = read_passphrase(o.new_passphrase.source(), "New passphrase for " + o.key + ": ",
                                    PassphrasePurpose::create);
  if (!new_secret) return new_secret.error();
  const keyfile::KdfParams kdf = o.kdf ? keyfile::kdf_params(*o.kdf) : key_file->kdf;
  auto resealed = keyfile::seal_seed(*seed, *new_secret, kdf, key_file->comment, key_file->created);
  if (!resealed) return resealed.error();
  const std::string text = keyfile::format_key_file_text(*resealed);
  auto replaced = replace_private_file(
      o.key, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  if (!replaced) return replaced;
  std::printf("re-encrypted %s (%s)\n", output::terminal_safe(o.key).c_str(),
              kdf_description(kdf).c_str());
  if (o.kdf) warn_if_cheap_kdf(*o.kdf);
  return ok();
}

// --- import ---------------------------------------------------------------
struct ImportOptions {
  std::string out;
  std::string dmp_key_file;
  std::string x25519_seed_file;
  std::string ed25519_seed_file;
  std::string unspecified_file;
  std::string expect_public;
  std::string comment;
  KdfLevel kdf = keyfile::kDefaultKdfLevel;
  PassphraseOptions passphrase;
};

Result<hsm::SecretBuffer> read_seed_file(const std::string& path, keyfile::SeedKind kind) {
  auto text = read_private_file(path, kMaxSeedFileLen, "seed file");
  if (!text) return text.error();
  auto seed = keyfile::parse_hex_seed(text->span(), path);
  if (!seed) return seed.error();
  return keyfile::to_ed25519_seed(std::move(*seed), kind);
}

Result<hsm::SecretBuffer> imported_seed(const ImportOptions& o) {
  if (!o.dmp_key_file.empty()) {
    auto text = read_private_file(o.dmp_key_file, kMaxSeedFileLen, "reference key file");
    if (!text) return text.error();
    auto reference = keyfile::parse_reference_key_file(text->span());
    if (!reference) return reference.error();
    return std::move(reference->ed25519_seed);
  }
  if (!o.x25519_seed_file.empty())
    return read_seed_file(o.x25519_seed_file, keyfile::SeedKind::x25519);
  if (!o.ed25519_seed_file.empty()) {
    return read_seed_file(o.ed25519_seed_file, keyfile::SeedKind::ed25519);
  }
  // A file given without saying what it is: only the generator's format is
  // self-describing. A bare seed could be either kind, and the two give
  // different keys (spec §6.2), so refuse rather than guess.
  auto text = read_private_file(o.unspecified_file, kMaxSeedFileLen, "import file");
  if (!text) return text.error();
  if (keyfile::looks_like_reference_key_file(text->span())) {
    auto reference = keyfile::parse_reference_key_file(text->span());
    if (!reference) return reference.error();
    return std::move(reference->ed25519_seed);
  }
  if (keyfile::looks_like_bare_hex_seed(text->span())) {
    return fail(Reason::usage, o.unspecified_file,
                "a bare 64-hex seed can be an X25519-style DMPCrypto seed (generator, "
                "vectors) or a raw Ed25519 OperatorSigner/heartbeat seed, and the two give "
                "different keys; say which with --x25519-seed-hex-file or "
                "--ed25519-seed-hex-file");
  }
  return fail(Reason::key_format, o.unspecified_file, "not a reference key file nor a 64-hex seed");
}

std::string lower_hex(std::string text) {
  for (char& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

Status run_import(const ImportOptions& o) {
  auto seed = imported_seed(o);
  if (!seed) return seed.error();
  const PublicKey public_key = hsm::public_key_of_seed(*seed);
  if (!o.expect_public.empty() && lower_hex(o.expect_public) != encoding::hex_encode(public_key)) {
    return fail(Reason::key_mismatch, "import",
                "the seed gives public key " + encoding::hex_encode(public_key) +
                    ", not the expected " + o.expect_public + "; nothing written");
  }
  auto key_file = keyfile::write_new_key_file(o.out, *seed, o.passphrase.source(),
                                              keyfile::kdf_params(o.kdf), o.comment);
  if (!key_file) return key_file.error();
  if (!o.dmp_key_file.empty() || !o.unspecified_file.empty()) {
    std::printf("reference key file: operator_public_hex matches the derived key\n");
  }
  print_key_summary(o.out, *key_file);
  warn_if_cheap_kdf(o.kdf);
  return ok();
}

}  // namespace

const std::map<std::string, KdfLevel>& kdf_level_names() {
  static const std::map<std::string, KdfLevel> names{{"sensitive", KdfLevel::sensitive},
                                                     {"moderate", KdfLevel::moderate},
                                                     {"interactive", KdfLevel::interactive}};
  return names;
}

void warn_if_cheap_kdf(KdfLevel level) {
  if (level != keyfile::kDefaultKdfLevel) {
    std::fprintf(stderr,
                 "dmp-sign: warning: --kdf %s is cheaper to brute-force than the default "
                 "(sensitive, 1 GiB); use it only for test keys\n",
                 level == KdfLevel::moderate ? "moderate" : "interactive");
  }
}

void print_public_key(const PublicKey& key, const std::string& format, nlohmann::json details) {
  const std::string hex = encoding::hex_encode(key);
  if (format == "hex") {
    std::printf("%s\n", hex.c_str());
  } else if (format == "dmp-env") {
    std::printf("operator_public_hex=%s\n", hex.c_str());
  } else {
    details["public_key"] = hex;
    details["fingerprint"] = hsm::fingerprint(key);
    std::printf("%s\n", details.dump().c_str());
  }
}

void add_key_commands(CLI::App& app, std::function<Status()>& run) {
  auto keygen = std::make_shared<KeygenOptions>();
  auto* cmd = app.add_subcommand("keygen", "create a new encrypted operator key file");
  cmd->add_option("--out", keygen->out, "key file to create (must not exist; mode 0600)")
      ->required();
  cmd->add_option("--comment", keygen->comment, "free text stored in the file (<= 1024 bytes)");
  cmd->add_option("--kdf", keygen->kdf,
                  "Argon2id cost: sensitive (default, 1 GiB), moderate, "
                  "interactive (tests only)")
      ->transform(named_choice(kdf_level_names()));
  add_passphrase_options(*cmd, keygen->passphrase, "", "new");
  cmd->footer("Example:\n  dmp-sign keygen --out /media/usb/operator.key --comment 'prod 2026'");
  cmd->callback([&run, keygen] { run = [keygen] { return run_keygen(*keygen); }; });

  auto pubkey = std::make_shared<PubkeyOptions>();
  cmd = app.add_subcommand("pubkey", "print a key file's public key (no passphrase needed)");
  cmd->add_option("--key", pubkey->key, "key file, or a PKCS#11 URI (pkcs11:...)")->required();
  cmd->add_option("--format", pubkey->format,
                  "hex (for DMP_SYNC_OPERATOR_SPK and client pins), dmp-env "
                  "(operator_public_hex= line) or json")
      ->check(CLI::IsMember({"hex", "dmp-env", "json"}));
  cmd->footer("Example:\n  dmp-sign pubkey --key operator.key --format dmp-env");
  cmd->callback([&run, pubkey] { run = [pubkey] { return run_pubkey(*pubkey); }; });

  auto passwd = std::make_shared<PasswdOptions>();
  cmd = app.add_subcommand("passwd", "re-encrypt a key file under a new passphrase");
  cmd->add_option("--key", passwd->key, "key file to re-encrypt in place (atomically)")->required();
  cmd->add_option("--kdf", passwd->kdf, "new Argon2id cost (default: keep the file's)")
      ->transform(named_choice(kdf_level_names()));
  add_passphrase_options(*cmd, passwd->old_passphrase, "", "current");
  add_passphrase_options(*cmd, passwd->new_passphrase, "new-", "new");
  cmd->footer("Example:\n  dmp-sign passwd --key operator.key");
  cmd->callback([&run, passwd] { run = [passwd] { return run_passwd(*passwd); }; });

  auto import = std::make_shared<ImportOptions>();
  cmd = app.add_subcommand("import", "encrypt an existing seed into a new key file");
  cmd->add_option("--out", import->out, "key file to create (must not exist; mode 0600)")
      ->required();
  auto* dmp = cmd->add_option("--dmp-key-file", import->dmp_key_file,
                              "the reference generator's operator-ed25519.hex "
                              "(operator_seed_hex=/operator_public_hex= lines)");
  auto* x = cmd->add_option("--x25519-seed-hex-file", import->x25519_seed_file,
                            "64-hex DMPCrypto (X25519-style) seed: Ed25519 seed = "
                            "SHA-256(x || \"DMP-v1-Ed25519-signing-key\")");
  auto* ed = cmd->add_option("--ed25519-seed-hex-file", import->ed25519_seed_file,
                             "64-hex raw Ed25519 seed (OperatorSigner, heartbeat key file)");
  auto* any = cmd->add_option("file", import->unspecified_file,
                              "a reference key file (a bare seed is refused: say its kind)");
  dmp->excludes(x, ed, any);
  x->excludes(ed, any);
  ed->excludes(any);
  cmd->add_option("--expect-public", import->expect_public,
                  "refuse unless the seed gives this public key (64 hex)");
  cmd->add_option("--comment", import->comment, "free text stored in the file (<= 1024 bytes)");
  cmd->add_option("--kdf", import->kdf, "Argon2id cost: sensitive (default), moderate, interactive")
      ->transform(named_choice(kdf_level_names()));
  add_passphrase_options(*cmd, import->passphrase, "", "new");
  cmd->footer(
      "Examples:\n"
      "  dmp-sign import --dmp-key-file operator-ed25519.hex --out operator.key\n"
      "  dmp-sign import --ed25519-seed-hex-file heartbeat.hex --out heartbeat.key");
  cmd->callback([&run, import] {
    run = [import] {
      if (import->dmp_key_file.empty() && import->x25519_seed_file.empty() &&
          import->ed25519_seed_file.empty() && import->unspecified_file.empty()) {
        return Status(fail(Reason::usage, "import",
                           "give --dmp-key-file, --x25519-seed-hex-file or "
                           "--ed25519-seed-hex-file"));
      }
      return run_import(*import);
    };
  });
}

}  // namespace dmp::cli
