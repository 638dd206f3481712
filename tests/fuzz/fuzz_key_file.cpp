// libFuzzer target: the input is whatever an operator (or an attacker) puts
// where dmp-sign expects a key or seed file. Runs every key-file parser on it
// and aborts when an invariant breaks:
//   - decode_key_file: a success re-encodes to exactly the input bytes, has
//     KDF parameters and a comment within the rules, and the v1 length;
//     failures are key_format / key_version / kdf_limits;
//   - parse_key_file_text: a success is dearmor + decode_key_file, and the
//     re-armoured file parses back to the same key file;
//   - armor/dearmor round-trips the input (when it fits the 8 KiB cap);
//   - parse_hex_seed agrees with looks_like_bare_hex_seed;
//   - parse_reference_key_file: a success carries the public key of its
//     seed and came from text that looks like the generator's file.
// open_seed is never called: Argon2id is far too slow for fuzzing.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>

#include "dmp/hsm/file_key.hpp"
#include "keyfile/key_file_format.hpp"
#include "keyfile/seed_import.hpp"

namespace {

using namespace dmp;
using namespace dmp::keyfile;

void require(bool condition, const char* invariant) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_key_file: invariant violated: %s\n", invariant);
  std::abort();
}

bool is_key_file_reason(Reason reason) {
  return reason == Reason::key_format || reason == Reason::key_version ||
         reason == Reason::kdf_limits;
}

void check_binary(std::span<const std::uint8_t> bytes) {
  auto decoded = decode_key_file(bytes);
  if (!decoded) {
    require(is_key_file_reason(decoded.error().reason), "decode fails with a key-file reason");
    return;
  }
  const Bytes encoded = encode_key_file(*decoded);
  require(
      encoded.size() == bytes.size() && std::equal(encoded.begin(), encoded.end(), bytes.begin()),
      "encode_key_file(decode_key_file(x)) == x");
  require(bytes.size() == kFixedHeaderLen + decoded->comment.size() + kSealedSeedLen,
          "decoded length is the v1 length");
  require(check_kdf_params(decoded->kdf).has_value(), "decoded KDF parameters are in bounds");
  require(check_comment(decoded->comment).has_value(), "decoded comment follows the rules");
  const Bytes header = encode_header(*decoded);
  require(header.size() + kSealedSeedLen == bytes.size() &&
              std::equal(header.begin(), header.end(), bytes.begin()),
          "the header is the file without its sealed seed");
}

void check_text(std::string_view text) {
  auto parsed = parse_key_file_text(text);
  auto bytes = dearmor(text);
  if (!parsed) {
    require(is_key_file_reason(parsed.error().reason), "parse fails with a key-file reason");
    if (bytes) require(!decode_key_file(*bytes), "parse fails only if dearmor or decode does");
    return;
  }
  require(bytes.has_value(), "a parsed text dearmors");
  auto decoded = decode_key_file(*bytes);
  require(decoded && *decoded == *parsed, "parse_key_file_text == decode_key_file(dearmor)");
  auto again = parse_key_file_text(format_key_file_text(*parsed));
  require(again && *again == *parsed, "re-armoured key file parses back");
}

void check_armor(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return;
  const std::string text = armor(bytes);
  auto back = dearmor(text);
  if (text.size() > kMaxArmoredLen) {
    require(!back, "armour over 8 KiB is refused");
    return;
  }
  require(
      back && back->size() == bytes.size() && std::equal(back->begin(), back->end(), bytes.begin()),
      "dearmor(armor(x)) == x");
}

void check_hex_seed(std::span<const std::uint8_t> bytes) {
  auto seed = parse_hex_seed(bytes, "fuzz");
  require(seed.has_value() == looks_like_bare_hex_seed(bytes),
          "parse_hex_seed agrees with looks_like_bare_hex_seed");
  if (!seed) {
    require(seed.error().reason == Reason::key_format, "hex seed fails with key_format");
    return;
  }
  require(seed->size() == 32, "a hex seed is 32 bytes");
}

void check_reference(std::span<const std::uint8_t> bytes) {
  auto key = parse_reference_key_file(bytes);
  if (!key) {
    require(key.error().reason == Reason::key_format || key.error().reason == Reason::key_mismatch,
            "reference file fails with key_format or key_mismatch");
    return;
  }
  require(looks_like_reference_key_file(bytes), "a parsed reference file looks like one");
  require(key->ed25519_seed.size() == 32, "reference seed is 32 bytes");
  require(hsm::public_key_of_seed(key->ed25519_seed) == key->public_key,
          "reference key is its seed's key");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_binary(bytes);
  check_text(text);
  check_armor(bytes);
  check_hex_seed(bytes);
  check_reference(bytes);
  return 0;
}
