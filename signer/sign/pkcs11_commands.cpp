#include "sign/pkcs11_commands.hpp"
#include "output/terminal_text.hpp"

#include <sodium.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "common/helper_path.hpp"
#include "dmp/encoding.hpp"
#include "dmp/hsm/pkcs11_client.hpp"
#include "keyfile/pkcs11_key_store.hpp"
#include "sign/key_commands.hpp"

namespace dmp::cli {
namespace {

using keyfile::Pkcs11Uri;

constexpr std::size_t kNewIdLen = 8;  // random CKA_ID of a generated key

struct Pkcs11Options {
  std::string helper;
  std::string pin_file;
  std::string key;  // URI
  std::string module, token, label, id_hex;
  std::string format = "hex";
  keyfile::Pkcs11Access access() const {
    keyfile::Pkcs11Access a;
    a.helper_override = helper;
    if (!pin_file.empty()) a.pin.file = pin_file;
    return a;
  }
};

void add_helper_option(CLI::App& cmd, Pkcs11Options& o) {
  cmd.add_option("--pkcs11-helper", o.helper,
                 "path of dmp-sign-pkcs11 (default: next to dmp-sign, or ../libexec/dmp-signer/)");
}

// --module: an absolute path, or a module name in the system's module directory.
Pkcs11Uri module_uri(const std::string& module) {
  Pkcs11Uri uri;
  if (!module.empty() && module.front() == '/')
    uri.module_path = module;
  else
    uri.module_name = module;
  return uri;
}

Result<Pkcs11Uri> uri_of(const std::string& text) {
  return keyfile::parse_pkcs11_uri(text);
}

// The URI that names a key for sign --key: token, object, id and module.
std::string key_uri(Pkcs11Uri base, const std::string& token, const std::string& label,
                    const std::vector<std::uint8_t>& id) {
  base.token = token.empty() ? std::nullopt : std::optional<std::string>(token);
  base.object = label.empty() ? std::nullopt : std::optional<std::string>(label);
  base.id = id.empty() ? std::nullopt : std::optional<std::vector<std::uint8_t>>(id);
  base.pin_file.reset();
  base.type.reset();
  return keyfile::format_pkcs11_uri(base);
}

void print_key(const hsm::pkcs11::KeyDetails& key, const std::string& uri) {
  std::printf("public key:     %s\n", encoding::hex_encode(key.public_key).c_str());
  std::printf("fingerprint:    %s\n", hsm::fingerprint(key.public_key).c_str());
  std::printf("uri:            %s\n", output::terminal_safe(uri).c_str());
}

// --- list ------------------------------------------------------------------------
Status run_list(const Pkcs11Options& o) {
  const Pkcs11Uri base = module_uri(o.module);
  if (auto checked = uri_of(keyfile::format_pkcs11_uri(base)); !checked) return checked.error();
  auto module = keyfile::resolve_pkcs11_module(base);
  if (!module) return module.error();
  auto helper = find_helper("dmp-sign-pkcs11", o.helper);
  if (!helper) return helper.error();
  auto listing = hsm::pkcs11::list(*helper, *module);
  if (!listing) return listing.error();
  if (listing->slots.empty())
    std::printf("no slot in %s\n", output::terminal_safe(*module).c_str());
  for (const auto& slot : listing->slots) {
    std::printf("slot %s: %s\n", output::terminal_safe(slot.slot).c_str(),
                output::terminal_safe(slot.description).c_str());
    if (slot.token.empty()) {
      std::printf("  no initialised token\n");
      continue;
    }
    std::printf(
        "  token \"%s\"  manufacturer %s  model %s  serial %s\n",
        output::terminal_safe(slot.token).c_str(), output::terminal_safe(slot.manufacturer).c_str(),
        output::terminal_safe(slot.model).c_str(), output::terminal_safe(slot.serial).c_str());
    std::size_t keys = 0;
    for (const auto& key : listing->keys) {
      if (key.slot != slot.slot) continue;
      ++keys;
      std::vector<std::uint8_t> id;
      if (auto bytes = encoding::hex_decode(key.id_hex, "id"); bytes) id = *bytes;
      std::printf("  Ed25519 key \"%s\" id %s\n    public key %s\n    %s\n",
                  output::terminal_safe(key.label).c_str(),
                  key.id_hex.empty() ? "(none)" : output::terminal_safe(key.id_hex).c_str(),
                  key.public_key_hex.empty() ? "(unreadable)"
                                             : output::terminal_safe(key.public_key_hex).c_str(),
                  output::terminal_safe(key_uri(base, slot.token, key.label, id)).c_str());
    }
    if (keys == 0) std::printf("  no Ed25519 key\n");
  }
  return ok();
}

// --- keygen ----------------------------------------------------------------------
Status run_keygen(const Pkcs11Options& o) {
  Pkcs11Uri uri;
  if (!o.key.empty()) {
    if (!o.module.empty() || !o.token.empty() || !o.label.empty() || !o.id_hex.empty())
      return fail(Reason::usage, "",
                  "--key URI and --module/--token/--label/--id exclude "
                  "each other: name the new key one way");
    auto parsed = uri_of(o.key);
    if (!parsed) return parsed.error();
    uri = std::move(*parsed);
  } else {
    if (o.module.empty() || o.label.empty())
      return fail(Reason::usage, "", "give --key URI, or --module and --label (and --token)");
    uri = module_uri(o.module);
    if (!o.token.empty()) uri.token = o.token;
    uri.object = o.label;
    if (!o.id_hex.empty()) {
      auto id = encoding::hex_decode(o.id_hex, "--id");
      if (!id || id->empty() || id->size() > 255)
        return fail(Reason::usage, "--id", "1 to 255 bytes as hex digits");
      uri.id = *id;
    }
    // Checks the pieces by the URI's rules (lengths, characters, module).
    auto checked = uri_of(keyfile::format_pkcs11_uri(uri));
    if (!checked) return checked.error();
  }
  if (!uri.object) return fail(Reason::usage, "", "the new key needs a label: object= in the URI");
  if (!uri.id) {
    uri.id = std::vector<std::uint8_t>(kNewIdLen);
    randombytes_buf(uri.id->data(), uri.id->size());
  }
  auto location = keyfile::locate_pkcs11_key(uri, o.access());
  if (!location) return location.error();
  auto pin = keyfile::read_pkcs11_pin(uri, o.access(), uri.token.value_or("(the only one)"));
  if (!pin) return pin.error();
  auto key = hsm::pkcs11::keygen(*location, *pin);
  if (!key) return key.error();
  std::printf("generated an Ed25519 key on the token (sensitive, not extractable)\n");
  print_key(*key, key_uri(uri, uri.token.value_or(""), key->label, key->id));
  return ok();
}

// --- pubkey ----------------------------------------------------------------------
Status run_pubkey(const Pkcs11Options& o) {
  auto uri = uri_of(o.key);
  if (!uri) return uri.error();
  auto key = keyfile::pkcs11_public_key(o.key, o.access());
  if (!key) return key.error();
  print_public_key(key->public_key, o.format,
                   {{"kind", "PKCS#11 key"},
                    {"label", key->label},
                    {"id", encoding::hex_encode(key->id)},
                    {"uri", key_uri(*uri, uri->token.value_or(""), key->label, key->id)}});
  return ok();
}

}  // namespace

void add_pkcs11_commands(CLI::App& app, std::function<Status()>& run) {
  auto* group =
      app.add_subcommand("pkcs11", "keys on PKCS#11 tokens (YubiKey PIV, HSMs, SoftHSM2)");
  group->require_subcommand(1);
  group->footer(
      "The private key is generated on the token, sensitive and not extractable; dmp-sign\n"
      "only ever asks the token to sign. Modules are loaded by the helper dmp-sign-pkcs11.\n"
      "Examples:\n"
      "  dmp-sign pkcs11 list --module /usr/lib/softhsm/libsofthsm2.so\n"
      "  dmp-sign pkcs11 keygen --key 'pkcs11:token=dmp;object=operator?module-name=ykcs11'\n"
      "  dmp-sign pkcs11 pubkey --key 'pkcs11:token=dmp;object=operator?module-name=ykcs11'\n"
      "  dmp-sign sign --key 'pkcs11:token=dmp;object=operator?module-name=ykcs11' "
      "--pin-file pin cluster.json");

  auto list = std::make_shared<Pkcs11Options>();
  auto* cmd = group->add_subcommand("list", "slots, tokens and Ed25519 keys of a module");
  cmd->add_option(
         "--module", list->module,
         "the module: an absolute path, or a name in " + std::string(keyfile::kPkcs11ModuleDir))
      ->required();
  add_helper_option(*cmd, *list);
  cmd->footer("Example:\n  dmp-sign pkcs11 list --module /usr/lib/softhsm/libsofthsm2.so");
  cmd->callback([&run, list] { run = [list] { return run_list(*list); }; });

  auto keygen = std::make_shared<Pkcs11Options>();
  cmd = group->add_subcommand("keygen", "generate an Ed25519 key pair on a token");
  cmd->add_option("--key", keygen->key, "URI of the new key: token, object (label), id optional");
  cmd->add_option("--module", keygen->module, "without --key: the module (path or name)");
  cmd->add_option("--token", keygen->token, "without --key: the token's label");
  cmd->add_option("--label", keygen->label, "without --key: the new key's label");
  cmd->add_option("--id", keygen->id_hex,
                  "without --key: the new key's id as hex (default: random)");
  cmd->add_option("--pin-file", keygen->pin_file,
                  "read the token's user PIN from the first line of FILE (mode 0600); default: "
                  "prompt");
  add_helper_option(*cmd, *keygen);
  cmd->footer(
      "Examples:\n"
      "  dmp-sign pkcs11 keygen --module /usr/lib/softhsm/libsofthsm2.so --token dmp "
      "--label operator\n"
      "  dmp-sign pkcs11 keygen --key 'pkcs11:token=dmp;object=operator?module-name=ykcs11'");
  cmd->callback([&run, keygen] { run = [keygen] { return run_keygen(*keygen); }; });

  auto pubkey = std::make_shared<Pkcs11Options>();
  cmd = group->add_subcommand("pubkey", "print a token key's public key (no PIN needed)");
  cmd->add_option("--key", pubkey->key, "the key's URI")->required();
  cmd->add_option("--format", pubkey->format, "hex (default), dmp-env or json")
      ->check(CLI::IsMember({"hex", "dmp-env", "json"}));
  add_helper_option(*cmd, *pubkey);
  cmd->footer(
      "Example:\n  dmp-sign pkcs11 pubkey --key "
      "'pkcs11:token=dmp;object=operator?module-path=/usr/lib/softhsm/libsofthsm2.so' "
      "--format dmp-env");
  cmd->callback([&run, pubkey] { run = [pubkey] { return run_pubkey(*pubkey); }; });
}

}  // namespace dmp::cli
