#include "sign/fido2_commands.hpp"
#include "output/terminal_text.hpp"

#include <sodium.h>

#include <cstdio>
#include <ctime>
#include <memory>

#include "common/helper_path.hpp"
#include "common/private_file.hpp"
#include "dmp/encoding.hpp"
#include "dmp/hsm/fido2_client.hpp"
#include "keyfile/fido2_key_store.hpp"
#include "keyfile/key_store.hpp"

namespace dmp::cli {
namespace {

using keyfile::fido2::Fido2KeyFile;

// Options every token command shares.
struct TokenOptions {
  std::string helper;
  std::string device;
  std::string pin_file;
  keyfile::Fido2Access access() const {
    keyfile::Fido2Access a;
    a.helper_override = helper;
    a.device = device;
    if (!pin_file.empty()) a.pin.file = pin_file;
    return a;
  }
};

void add_token_options(CLI::App& cmd, TokenOptions& o, const std::string& which = "") {
  cmd.add_option("--" + which + "device", o.device,
                 "the token to use when several are plugged in (see: dmp-sign fido2 devices)");
  cmd.add_option("--" + which + "pin-file", o.pin_file,
                 "read the token's PIN from the first line of FILE (mode 0600); default: prompt");
}

void add_helper_option(CLI::App& cmd, std::string& helper) {
  cmd.add_option("--fido2-helper", helper,
                 "path of dmp-sign-fido2 (default: next to dmp-sign, or ../libexec/dmp-signer/)");
}

// How a new slot is made.
struct SlotOptions {
  std::string label;
  std::string rp_id = std::string(keyfile::fido2::kDefaultRpId);
  bool no_pin = false;
  keyfile::NewSlot slot() const { return {label, rp_id, !no_pin}; }
};

void add_slot_options(CLI::App& cmd, SlotOptions& o) {
  cmd.add_option("--label", o.label, "name of the token in the file (default: its product name)");
  cmd.add_option("--rp-id", o.rp_id,
                 "FIDO2 relying-party id of the credential (default dmp-signer)");
  cmd.add_flag("--no-pin", o.no_pin,
               "unlock with a touch alone, without the PIN (not recommended: a stolen token "
               "then suffices)");
}

void print_file_summary(const std::string& path, const Fido2KeyFile& file) {
  std::printf("FIDO2 key file: %s (%zu token%s)\n", output::terminal_safe(path).c_str(),
              file.tokens.size(), file.tokens.size() == 1 ? "" : "s");
  std::printf("public key:     %s\n", encoding::hex_encode(file.public_key).c_str());
  std::printf("fingerprint:    %s\n", hsm::fingerprint(file.public_key).c_str());
}

std::string describe_flags(std::uint8_t flags) {
  const bool pin = (flags & keyfile::fido2::kFlagUserVerification) != 0;
  const bool touch = (flags & keyfile::fido2::kFlagUserPresence) != 0;
  if (pin && touch) return "PIN + touch";
  if (pin) return "PIN";
  if (touch) return "touch";
  return "nothing";
}

// --- devices ------------------------------------------------------------------
Status run_devices(const std::string& helper_override) {
  auto helper = find_helper("dmp-sign-fido2", helper_override);
  if (!helper) return helper.error();
  auto tokens = hsm::fido2::list_tokens(*helper);
  if (!tokens) return tokens.error();
  if (tokens->empty()) std::printf("no FIDO2 token found\n");
  for (const auto& t : *tokens)
    std::printf("%s\t%s\n", output::terminal_safe(t.path).c_str(),
                output::terminal_safe(t.product).c_str());
  return ok();
}

// --- keygen / enroll: a new FIDO2 key file ---------------------------------
struct CreateOptions {
  std::string out;
  std::string key;  // enroll: the passphrase key file to convert
  std::string passphrase_file;
  std::string comment;
  std::string helper;
  TokenOptions token;
  SlotOptions slot;
};

Status create_fido2_file(const CreateOptions& o, const hsm::SecretBuffer& seed, std::string comment,
                         std::uint64_t created) {
  Fido2KeyFile file;
  file.public_key = hsm::public_key_of_seed(seed);
  file.created = created;
  file.comment = std::move(comment);
  if (auto rule = keyfile::check_comment(file.comment); !rule) return rule.error();
  if (auto can = check_can_create_private_file(o.out); !can) return can;
  keyfile::Fido2Access access = o.token.access();
  access.helper_override = o.helper;
  if (auto enrolled = keyfile::enrol_token(file, seed, access, o.slot.slot()); !enrolled)
    return enrolled;
  if (auto written = keyfile::write_new_fido2_key_file(o.out, file); !written) return written;
  print_file_summary(o.out, file);
  return ok();
}

Status run_keygen(const CreateOptions& o) {
  hsm::SecretBuffer seed(crypto_sign_SEEDBYTES);
  randombytes_buf(seed.data(), seed.size());
  return create_fido2_file(o, seed, o.comment, static_cast<std::uint64_t>(std::time(nullptr)));
}

Status run_enroll(const CreateOptions& o) {
  PassphraseSource passphrase;
  if (!o.passphrase_file.empty()) passphrase.file = o.passphrase_file;
  auto key = keyfile::unlock_key_file(o.key, passphrase);
  if (!key) return key.error();
  auto key_file = keyfile::load_key_file(o.key);
  if (!key_file) return key_file.error();
  const std::string comment = o.comment.empty() ? key_file->comment : o.comment;
  if (auto created = create_fido2_file(o, (*key)->seed(), comment, key_file->created); !created)
    return created;
  std::printf(
      "%s is unchanged: once the new file has signed a test record, destroy it or keep "
      "it offline as a backup\n",
      output::terminal_safe(o.key).c_str());
  return ok();
}

// --- add-token / remove-token / list ------------------------------------------
struct ModifyOptions {
  std::string key;
  std::string helper;
  TokenOptions unlock;     // an enrolled token
  TokenOptions new_token;  // the token to add
  SlotOptions slot;
  std::size_t token = 0;  // remove-token: 1-based
};

Status run_add_token(const ModifyOptions& o) {
  auto file = keyfile::load_fido2_key_file(o.key);
  if (!file) return file.error();
  if (auto dir = check_can_replace_private_file(o.key); !dir) return dir;
  keyfile::Fido2Access unlock = o.unlock.access();
  unlock.helper_override = o.helper;
  std::fprintf(stderr, "dmp-sign: unlock the key with an enrolled token first\n");
  auto unlocked = keyfile::unlock_fido2_key(o.key, *file, unlock);
  if (!unlocked) return unlocked.error();
  std::fprintf(stderr, "dmp-sign: now the token to add\n");
  keyfile::Fido2Access add = o.new_token.access();
  add.helper_override = o.helper;
  if (auto enrolled = keyfile::enrol_token(*file, unlocked->key->seed(), add, o.slot.slot());
      !enrolled)
    return enrolled;
  if (auto written = keyfile::replace_fido2_key_file(o.key, *file); !written) return written;
  print_file_summary(o.key, *file);
  return ok();
}

Status run_remove_token(const ModifyOptions& o) {
  auto file = keyfile::load_fido2_key_file(o.key);
  if (!file) return file.error();
  if (o.token < 1 || o.token > file->tokens.size())
    return fail(Reason::usage, "--token",
                std::to_string(o.token) + " is not a token of " + o.key + " (1.." +
                    std::to_string(file->tokens.size()) + ", see: dmp-sign fido2 list)");
  if (file->tokens.size() == 1)
    return fail(Reason::usage, "--token",
                "refusing to remove the only enrolled token: the key would be lost");
  file->tokens.erase(file->tokens.begin() + static_cast<std::ptrdiff_t>(o.token - 1));
  if (auto written = keyfile::replace_fido2_key_file(o.key, *file); !written) return written;
  print_file_summary(o.key, *file);
  return ok();
}

Status run_list(const std::string& key) {
  auto file = keyfile::load_fido2_key_file(key);
  if (!file) return file.error();
  print_file_summary(key, *file);
  if (!file->comment.empty())
    std::printf("comment:        %s\n", output::terminal_safe(file->comment).c_str());
  for (std::size_t i = 0; i < file->tokens.size(); ++i) {
    const auto& t = file->tokens[i];
    std::printf(
        "token %zu: %s  rp %s  unlock: %s  credential %s\n", i + 1,
        t.label.empty() ? "(no label)" : output::terminal_safe(t.label).c_str(),
        output::terminal_safe(t.rp_id).c_str(), describe_flags(t.flags).c_str(),
        encoding::hex_encode(
            std::span(t.credential_id).first(std::min<std::size_t>(8, t.credential_id.size())))
            .c_str());
  }
  return ok();
}

}  // namespace

void add_fido2_commands(CLI::App& app, std::function<Status()>& run) {
  auto* group = app.add_subcommand("fido2", "keys guarded by FIDO2 tokens (YubiKey hmac-secret)");
  group->require_subcommand(1);
  group->footer(
      "The seed is wrapped under a key only an enrolled token (PIN + touch) can give back.\n"
      "Enrol a backup token: a lost or broken token must not mean a lost domain.\n"
      "Examples:\n"
      "  dmp-sign fido2 keygen --out operator.fido2key --comment 'prod 2026'\n"
      "  dmp-sign fido2 add-token --key operator.fido2key --device /dev/hidraw3 --label backup\n"
      "  dmp-sign sign --key operator.fido2key --out cluster.wire cluster.json");

  auto helper = std::make_shared<std::string>();
  auto* cmd = group->add_subcommand("devices", "list the FIDO2 tokens plugged in");
  add_helper_option(*cmd, *helper);
  cmd->callback([&run, helper] { run = [helper] { return run_devices(*helper); }; });

  auto keygen = std::make_shared<CreateOptions>();
  cmd = group->add_subcommand("keygen", "a new key, wrapped for a token from birth");
  cmd->add_option("--out", keygen->out, "FIDO2 key file to create (must not exist; mode 0600)")
      ->required();
  cmd->add_option("--comment", keygen->comment, "free text stored in the file (<= 1024 bytes)");
  add_token_options(*cmd, keygen->token);
  add_slot_options(*cmd, keygen->slot);
  add_helper_option(*cmd, keygen->helper);
  cmd->footer(
      "Example:\n  dmp-sign fido2 keygen --out /media/usb/operator.fido2key --label primary");
  cmd->callback([&run, keygen] { run = [keygen] { return run_keygen(*keygen); }; });

  auto enroll = std::make_shared<CreateOptions>();
  cmd = group->add_subcommand("enroll", "wrap an existing passphrase key file's key for a token");
  cmd->add_option("--key", enroll->key, "passphrase key file (left unchanged)")->required();
  cmd->add_option("--out", enroll->out, "FIDO2 key file to create (must not exist; mode 0600)")
      ->required();
  cmd->add_option("--passphrase-file", enroll->passphrase_file,
                  "read the key file's passphrase from the first line of FILE (mode 0600)");
  cmd->add_option("--comment", enroll->comment,
                  "comment of the new file (default: the key file's)");
  add_token_options(*cmd, enroll->token);
  add_slot_options(*cmd, enroll->slot);
  add_helper_option(*cmd, enroll->helper);
  cmd->footer("Example:\n  dmp-sign fido2 enroll --key operator.key --out operator.fido2key");
  cmd->callback([&run, enroll] { run = [enroll] { return run_enroll(*enroll); }; });

  auto add = std::make_shared<ModifyOptions>();
  cmd = group->add_subcommand("add-token", "enrol one more (backup) token in a FIDO2 key file");
  cmd->add_option("--key", add->key, "FIDO2 key file to update (atomically)")->required();
  add_token_options(*cmd, add->unlock, "unlock-");
  add_token_options(*cmd, add->new_token);
  add_slot_options(*cmd, add->slot);
  add_helper_option(*cmd, add->helper);
  cmd->footer(
      "Plug in an enrolled token and the new one. --unlock-device/--unlock-pin-file are for\n"
      "the enrolled token, --device/--pin-file for the new one.\n"
      "Example:\n"
      "  dmp-sign fido2 add-token --key operator.fido2key --device /dev/hidraw4 --label backup");
  cmd->callback([&run, add] { run = [add] { return run_add_token(*add); }; });

  auto remove = std::make_shared<ModifyOptions>();
  cmd = group->add_subcommand("remove-token", "remove a token's slot (lost or retired token)");
  cmd->add_option("--key", remove->key, "FIDO2 key file to update (atomically)")->required();
  cmd->add_option("--token", remove->token, "the token's number (see: dmp-sign fido2 list)")
      ->required();
  cmd->footer(
      "A removed slot no longer opens this file, but a copy of the old file still does:\n"
      "after losing a token, rotate the key (see README).\n"
      "Example:\n  dmp-sign fido2 remove-token --key operator.fido2key --token 2");
  cmd->callback([&run, remove] { run = [remove] { return run_remove_token(*remove); }; });

  auto list = std::make_shared<std::string>();
  cmd = group->add_subcommand("list", "show a FIDO2 key file's key and enrolled tokens");
  cmd->add_option("--key", *list, "FIDO2 key file")->required();
  cmd->callback([&run, list] { run = [list] { return run_list(*list); }; });
}

}  // namespace dmp::cli
