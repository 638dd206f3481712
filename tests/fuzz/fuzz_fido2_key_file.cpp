// libFuzzer target: the input is what an operator (or an attacker) puts
// where dmp-sign expects a FIDO2-wrapped key file, in binary or armoured
// form (signer/keyfile/fido2_key_format.hpp). Aborts when an invariant breaks:
//   - decode: failures are key_format / key_version; a success re-encodes to
//     exactly the input (one spelling per file) and every slot obeys
//     check_slot;
//   - parse of the armour: a success re-armours and parses back to the same
//     file;
//   - unwrap_seed of every slot under a fixed stand-in hmac-secret output
//     refuses with wrong_passphrase or key_mismatch, never crashes (no
//     input can carry a valid tag for a key the fuzzer does not know).
#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string_view>

#include "keyfile/fido2_key_crypto.hpp"
#include "keyfile/fido2_key_format.hpp"

namespace {

using namespace dmp;
using namespace dmp::keyfile::fido2;

void require(bool condition, const char* invariant) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_fido2_key_file: invariant violated: %s\n", invariant);
  std::abort();
}

void check_decoded(const Fido2KeyFile& file, std::span<const std::uint8_t> bytes) {
  auto again = encode_fido2_key_file(file);
  require(again.has_value(), "a decoded file re-encodes");
  require(again->size() == bytes.size() && std::equal(again->begin(), again->end(), bytes.begin()),
          "encode(decode(x)) == x");
  require(!file.tokens.empty() && file.tokens.size() <= kMaxTokens, "1..8 token slots");
  static const hsm::SecretBuffer stand_in = [] {
    hsm::SecretBuffer b(kHmacSecretLen);
    std::memset(b.data(), 0x42, b.size());
    return b;
  }();
  for (std::size_t i = 0; i < file.tokens.size(); ++i) {
    require(check_slot(file.tokens[i]).has_value(), "every slot obeys the slot rules");
    auto seed = unwrap_seed(file, i, stand_in);
    require(!seed.has_value(), "no forged slot unwraps");
    require(seed.error().reason == Reason::wrong_passphrase ||
                seed.error().reason == Reason::key_mismatch,
            "unwrap refuses as wrong token or key mismatch");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool sodium_ready = sodium_init() >= 0;
  require(sodium_ready, "libsodium initialises");
  const std::span<const std::uint8_t> bytes(data, size);
  auto decoded = decode_fido2_key_file(bytes);
  if (decoded) {
    check_decoded(*decoded, bytes);
  } else {
    require(decoded.error().reason == Reason::key_format ||
                decoded.error().reason == Reason::key_version,
            "binary refusals are key_format or key_version");
  }

  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_fido2_key_file_text(text);
  if (!parsed) {
    require(
        parsed.error().reason == Reason::key_format || parsed.error().reason == Reason::key_version,
        "text refusals are key_format or key_version");
    return 0;
  }
  require(looks_like_fido2_key_file(text), "accepted text starts with the FIDO2 armour line");
  auto rearmoured = format_fido2_key_file_text(*parsed);
  require(rearmoured.has_value(), "a parsed file re-armours");
  auto again = parse_fido2_key_file_text(*rearmoured);
  require(again.has_value() && *again == *parsed, "re-armoured text parses to the same file");
  return 0;
}
