// libFuzzer target: the input is a share file as `backup restore
// --share-file` and `backup check --share-file` read it (signer/backup/
// share_sheet, then the mnemonic decoder). Aborts when an invariant breaks:
//   - a refusal is Reason::key_format on field "share file";
//   - an accepted sheet's mnemonic is one of its lines, trimmed, not a
//     comment, holding no line break, and the only such line;
//   - when that mnemonic decodes, the sheet format_share_sheet makes for the
//     share reads back to the same words (a sheet written is a sheet read).
#include <sodium.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "backup/share_sheet.hpp"
#include "backup/slip39.hpp"

namespace {

void require(bool condition, const char* invariant) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_share_sheet: invariant violated: %s\n", invariant);
  std::abort();
}

std::string_view text_of(const dmp::hsm::SecretBuffer& buffer) {
  return {reinterpret_cast<const char*>(buffer.data()), buffer.size()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool sodium_ready = sodium_init() >= 0;
  require(sodium_ready, "libsodium initialises");
  auto mnemonic = dmp::backup::sheet_mnemonic(std::span(data, size));
  if (!mnemonic) {
    require(mnemonic.error().reason == dmp::Reason::key_format, "refusals are key_format");
    require(mnemonic.error().field == "share file", "a refusal names the share file");
    return 0;
  }
  const std::string_view line = text_of(*mnemonic);
  require(!line.empty() && line.front() != '#', "the mnemonic is not a comment");
  require(line.find('\n') == std::string_view::npos, "the mnemonic is one line");
  require(line.front() != ' ' && line.front() != '\t' && line.back() != ' ' &&
              line.back() != '\t' && line.back() != '\r',
          "the mnemonic is trimmed");
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  require(input.find(line) != std::string_view::npos, "the mnemonic comes from the input");

  auto share = dmp::backup::slip39::decode_mnemonic(line);
  if (!share) return 0;
  auto words = dmp::backup::slip39::encode_mnemonic(*share);
  require(static_cast<bool>(words), "a decoded share encodes");
  dmp::backup::SheetFacts facts;
  facts.fingerprint = "dmp1:0000-0000-0000-0000";
  facts.date = "2026-12-07";
  const auto sheet = dmp::backup::format_share_sheet(*share, text_of(*words), facts);
  auto again = dmp::backup::sheet_mnemonic(sheet.span());
  require(static_cast<bool>(again) && text_of(*again) == text_of(*words),
          "a sheet written reads back to its words");
  return 0;
}
