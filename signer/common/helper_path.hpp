// Where dmp-sign finds its hardware helpers (dmp-sign-fido2, later
// dmp-sign-pkcs11): an explicit --*-helper PATH, else next to the running
// dmp-sign (a copied pair of binaries, the build tree), else in
// ../libexec/dmp-signer/ relative to it (an installed tree or the .deb).
// Never through $PATH: a helper sees PINs, so it must be the one shipped
// with this dmp-sign.
#pragma once

#include <string>

#include "dmp/result.hpp"

namespace dmp::cli {

Result<std::string> find_helper(const std::string& name, const std::string& override_path);

}  // namespace dmp::cli
