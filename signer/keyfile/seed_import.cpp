#include "keyfile/seed_import.hpp"

#include <sodium.h>

#include <string_view>

#include "dmp/encoding.hpp"
#include "dmp/hsm/file_key.hpp"

namespace dmp::keyfile {
namespace {

constexpr std::string_view kSeedKey = "operator_seed_hex";
constexpr std::string_view kPublicKey = "operator_public_hex";

bool is_space(std::uint8_t c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::span<const std::uint8_t> trim(std::span<const std::uint8_t> text) noexcept {
  while (!text.empty() && is_space(text.front()))
    text = text.subspan(1);
  while (!text.empty() && is_space(text.back()))
    text = text.first(text.size() - 1);
  return text;
}

std::string_view as_text(std::span<const std::uint8_t> bytes) noexcept {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

bool starts_with(std::span<const std::uint8_t> line, std::string_view prefix) noexcept {
  return line.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), line.begin());
}

Failure format_error(const std::string& what, const std::string& rule) {
  return fail(Reason::key_format, what, rule);
}

}  // namespace

Result<hsm::SecretBuffer> parse_hex_seed(std::span<const std::uint8_t> text,
                                         const std::string& what) {
  text = trim(text);
  if (text.size() != 64) {
    return format_error(
        what, "must be exactly 64 hex digits (has " + std::to_string(text.size()) + " characters)");
  }
  hsm::SecretBuffer seed(32);
  if (!encoding::hex_decode_into(as_text(text), seed.span())) {
    return format_error(what, "must be exactly 64 hex digits");
  }
  return seed;
}

hsm::SecretBuffer to_ed25519_seed(hsm::SecretBuffer seed, SeedKind kind) {
  if (kind == SeedKind::ed25519) return seed;
  return hsm::ed25519_seed_from_x25519_seed(seed);
}

bool looks_like_reference_key_file(std::span<const std::uint8_t> text) noexcept {
  return as_text(text).find(std::string(kSeedKey) + "=") != std::string_view::npos;
}

bool looks_like_bare_hex_seed(std::span<const std::uint8_t> text) noexcept {
  text = trim(text);
  return text.size() == 64 && encoding::is_hex(as_text(text));
}

Result<ReferenceKey> parse_reference_key_file(std::span<const std::uint8_t> text) {
  const std::string what = "reference key file";
  std::optional<hsm::SecretBuffer> x25519_seed;
  std::optional<hsm::SecretBuffer> public_key;
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    std::size_t end = 0;
    while (end < text.size() && text[end] != '\n')
      ++end;
    const auto line = trim(text.first(end));
    text = text.subspan(end < text.size() ? end + 1 : end);
    if (line.empty() || line.front() == '#') continue;
    const std::string where = what + " line " + std::to_string(line_no);
    std::size_t eq = 0;
    while (eq < line.size() && line[eq] != '=')
      ++eq;
    if (eq == line.size()) return format_error(where, "expected key=value");
    const auto value = line.subspan(eq + 1);
    if (starts_with(line, kSeedKey) && eq == kSeedKey.size()) {
      if (x25519_seed) return format_error(where, "operator_seed_hex given twice");
      auto seed = parse_hex_seed(value, where + " (operator_seed_hex)");
      if (!seed) return seed.error();
      x25519_seed = std::move(*seed);
    } else if (starts_with(line, kPublicKey) && eq == kPublicKey.size()) {
      if (public_key) return format_error(where, "operator_public_hex given twice");
      auto key = parse_hex_seed(value, where + " (operator_public_hex)");
      if (!key) return key.error();
      public_key = std::move(*key);
    }
    // Other keys are ignored, as a newer generator may add some.
  }
  if (!x25519_seed) return format_error(what, "operator_seed_hex= line missing");
  if (!public_key) return format_error(what, "operator_public_hex= line missing");

  ReferenceKey out{hsm::ed25519_seed_from_x25519_seed(*x25519_seed), {}};
  out.public_key = hsm::public_key_of_seed(out.ed25519_seed);
  if (sodium_memcmp(out.public_key.data(), public_key->data(), out.public_key.size()) != 0) {
    return fail(Reason::key_mismatch, "reference key file",
                "operator_public_hex does not match the key derived from "
                "operator_seed_hex (spec §6.1); refusing to import");
  }
  return out;
}

}  // namespace dmp::keyfile
