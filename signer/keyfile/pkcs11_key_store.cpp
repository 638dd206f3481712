#include "keyfile/pkcs11_key_store.hpp"

#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "common/helper_path.hpp"

namespace dmp::keyfile {
namespace {

constexpr char kHelperName[] = "dmp-sign-pkcs11";

}  // namespace

Result<std::string> resolve_pkcs11_module(const Pkcs11Uri& uri) {
  if (uri.module_path) return *uri.module_path;
  if (!uri.module_name)
    return fail(Reason::usage, "PKCS#11 URI",
                "names no module; add ?module-path=/path/to/module.so (or "
                "module-name=NAME for a module in " +
                    std::string(kPkcs11ModuleDir) + ")");
  namespace fs = std::filesystem;
  const std::string& name = *uri.module_name;
  for (const std::string& file : {name, name + ".so", "lib" + name + ".so"}) {
    const fs::path candidate = fs::path(kPkcs11ModuleDir) / file;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  }
  return fail(Reason::token_unavailable, "PKCS#11 URI",
              "module-name: no module " + name + " (" + name + ".so, lib" + name + ".so) in " +
                  kPkcs11ModuleDir + "; give its path with module-path=");
}

Result<hsm::pkcs11::KeyLocation> locate_pkcs11_key(const Pkcs11Uri& uri,
                                                   const Pkcs11Access& access) {
  auto helper = cli::find_helper(kHelperName, access.helper_override);
  if (!helper) return helper.error();
  auto module = resolve_pkcs11_module(uri);
  if (!module) return module.error();
  hsm::pkcs11::KeyLocation l;
  l.helper = *helper;
  l.module = *module;
  l.token = uri.token;
  l.manufacturer = uri.manufacturer;
  l.serial = uri.serial;
  l.model = uri.model;
  l.object = uri.object;
  l.id = uri.id;
  return l;
}

Result<hsm::SecretBuffer> read_pkcs11_pin(const Pkcs11Uri& uri, const Pkcs11Access& access,
                                          const std::string& token_name) {
  cli::PassphraseSource source = access.pin;
  if (uri.pin_file) {
    // Two sources would leave the operator guessing which PIN was used.
    if (source.file || source.fd)
      return fail(Reason::usage, "",
                  "the URI has pin-source and --pin-file was given too: give the PIN one way");
    source.file = *uri.pin_file;
  }
  return cli::read_passphrase(source, "PIN of PKCS#11 token " + token_name + ": ",
                              cli::PassphrasePurpose::unlock);
}

Result<hsm::pkcs11::KeyDetails> pkcs11_public_key(const std::string& uri_text,
                                                  const Pkcs11Access& access) {
  auto uri = parse_pkcs11_uri(uri_text);
  if (!uri) return uri.error();
  auto location = locate_pkcs11_key(*uri, access);
  if (!location) return location.error();
  return hsm::pkcs11::pubkey(*location, nullptr);
}

Result<std::unique_ptr<hsm::SigningKey>> unlock_pkcs11_key(const std::string& uri_text,
                                                           const Pkcs11Access& access) {
  auto uri = parse_pkcs11_uri(uri_text);
  if (!uri) return uri.error();
  auto location = locate_pkcs11_key(*uri, access);
  if (!location) return location.error();
  auto details = hsm::pkcs11::pubkey(*location, nullptr);
  if (!details) return details.error();
  auto pin = read_pkcs11_pin(*uri, access, uri->token.value_or("(the only one)"));
  if (!pin) return pin.error();
  return std::unique_ptr<hsm::SigningKey>(std::make_unique<hsm::pkcs11::Pkcs11Key>(
      std::move(*location), std::move(*pin), details->public_key,
      "PKCS#11 key " + format_pkcs11_uri(*uri)));
}

}  // namespace dmp::keyfile
