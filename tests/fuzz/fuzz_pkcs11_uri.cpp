// libFuzzer target: the input is what an operator (or an attacker) passes as
// `--key pkcs11:...` (signer/keyfile/pkcs11_uri.hpp). Aborts when an
// invariant breaks:
//   - a refusal is key_format or (pin-value only) usage, with a message;
//   - an accepted URI formats to a URI that parses to the same value
//     (format(parse(x)) parses to parse(x)), and formatting is stable;
//   - accepted values obey the caps: token fields <= 32 bytes, object <= 255,
//     id 1..255 bytes, module-path absolute, no control bytes in text.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "keyfile/pkcs11_uri.hpp"

namespace {

using namespace dmp;
using namespace dmp::keyfile;

void require(bool condition, const char* invariant) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_pkcs11_uri: invariant violated: %s\n", invariant);
  std::abort();
}

bool clean_text(const std::optional<std::string>& text, std::size_t max) {
  if (!text) return true;
  if (text->empty() || text->size() > max) return false;
  for (char c : *text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto uri = parse_pkcs11_uri(text);
  if (!uri) {
    require(uri.error().reason == Reason::key_format || uri.error().reason == Reason::usage,
            "refusals are key_format or usage");
    require(!uri.error().message().empty(), "a refusal says why");
    return 0;
  }
  require(looks_like_pkcs11_uri(text), "accepted text starts with pkcs11:");
  require(clean_text(uri->token, 32) && clean_text(uri->manufacturer, 32) &&
              clean_text(uri->serial, 32) && clean_text(uri->model, 32),
          "token fields are 1..32 clean bytes");
  require(clean_text(uri->object, 255), "object is 1..255 clean bytes");
  require(!uri->id || (!uri->id->empty() && uri->id->size() <= 255), "id is 1..255 bytes");
  require(!uri->module_path || uri->module_path->front() == '/', "module-path is absolute");
  require(!(uri->module_path && uri->module_name), "never both module-path and module-name");
  const std::string formatted = format_pkcs11_uri(*uri);
  auto again = parse_pkcs11_uri(formatted);
  require(again.has_value(), "a formatted URI parses");
  require(*again == *uri, "format(parse(x)) parses to parse(x)");
  require(format_pkcs11_uri(*again) == formatted, "formatting is stable");
  return 0;
}
