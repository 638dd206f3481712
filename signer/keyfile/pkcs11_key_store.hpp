// Keys on PKCS#11 tokens, named by RFC 7512 URIs (pkcs11_uri.hpp): resolve
// the module, read the PIN once (pin-source file of the URI, --pin-file, or
// the terminal; never argv or the environment), and reach the token through
// dmp-sign-pkcs11 (hsm/pkcs11_client.hpp).
#pragma once

#include <memory>
#include <string>

#include "common/passphrase.hpp"
#include "dmp/hsm/pkcs11_client.hpp"
#include "keyfile/pkcs11_uri.hpp"

namespace dmp::keyfile {

// Where the system keeps PKCS#11 modules (p11-kit's and Debian's
// convention); module-name=NAME is looked up here and nowhere else.
#ifndef DMP_PKCS11_MODULE_DIR
#define DMP_PKCS11_MODULE_DIR "/usr/lib/x86_64-linux-gnu/pkcs11"
#endif
inline constexpr char kPkcs11ModuleDir[] = DMP_PKCS11_MODULE_DIR;

// --pkcs11-helper and where the PIN comes from when the URI does not say.
struct Pkcs11Access {
  std::string helper_override;
  cli::PassphraseSource pin;
};

// The module's absolute path: module-path, or module-name resolved in
// kPkcs11ModuleDir (NAME, NAME.so or libNAME.so). Neither: usage.
Result<std::string> resolve_pkcs11_module(const Pkcs11Uri& uri);

// Helper, module and selectors of a URI (no PIN, nothing contacted yet).
Result<hsm::pkcs11::KeyLocation> locate_pkcs11_key(const Pkcs11Uri& uri,
                                                   const Pkcs11Access& access);

// The PIN, read once into guarded memory.
Result<hsm::SecretBuffer> read_pkcs11_pin(const Pkcs11Uri& uri, const Pkcs11Access& access,
                                          const std::string& token_name);

// The key's public half, without the PIN (review screens, pubkey).
Result<hsm::pkcs11::KeyDetails> pkcs11_public_key(const std::string& uri_text,
                                                  const Pkcs11Access& access);

// A SigningKey that signs on the token; the PIN is read here, once.
Result<std::unique_ptr<hsm::SigningKey>> unlock_pkcs11_key(const std::string& uri_text,
                                                           const Pkcs11Access& access);

}  // namespace dmp::keyfile
