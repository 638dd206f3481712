// RFC 7512 PKCS#11 URIs, the key names of p11-kit, OpenSSL and GnuTLS:
//
//   pkcs11:token=dmp;object=operator;id=%01%02?module-path=/usr/lib/x/mod.so
//          &pin-source=file:/media/usb/pin
//
// Pure parsing and formatting; nothing is opened or loaded here. The parser
// is strict, because the URI decides which key signs:
//   - path attributes: token, manufacturer, serial, model (CK_TOKEN_INFO,
//     at most 32 bytes each), object (CKA_LABEL, at most 255), id (CKA_ID,
//     1..255 bytes, usually percent-encoded), type (private or public: both
//     name the key pair);
//   - query attributes: module-path (absolute) or module-name (a file name
//     in the system's PKCS#11 module directory), pin-source (file:PATH);
//     pin-value is refused: a PIN on the command line is visible to every
//     user of the machine (ps, /proc) and lands in shell history;
//   - an unknown or repeated attribute, an empty value, a bad %-escape, a
//     character RFC 7512 does not allow unescaped, or control bytes in a
//     text value are refused, naming the attribute and the rule.
// Errors are key_format (usage for pin-value).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dmp/result.hpp"

namespace dmp::keyfile {

inline constexpr std::size_t kMaxPkcs11UriLen = 4096;

struct Pkcs11Uri {
  std::optional<std::string> token, manufacturer, serial, model, object, type;
  std::optional<std::vector<std::uint8_t>> id;
  std::optional<std::string> module_path, module_name, pin_file;
  bool operator==(const Pkcs11Uri&) const = default;
};

// True when `text` starts with the scheme "pkcs11:" (any case): such a
// --key value is a URI, never a file name.
bool looks_like_pkcs11_uri(std::string_view text) noexcept;

Result<Pkcs11Uri> parse_pkcs11_uri(std::string_view text);

// The canonical spelling: path attributes in the order of the struct, id
// fully %-escaped, other values escaped where RFC 7512 requires.
std::string format_pkcs11_uri(const Pkcs11Uri& uri);

}  // namespace dmp::keyfile
