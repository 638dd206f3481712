// libFuzzer target: the input is the text of an unsigned record (what an
// operator passes to `dmp-sign sign`), and also read as a ledger interchange
// document (what `dmp-sign ledger import` reads). Aborts when an invariant
// breaks:
//   - parse errors are values (no exception escapes, no crash): invalid_field
//     with a message;
//   - a parsed record resolves with a fixed key and clock; when it encodes,
//     the body decodes back to exactly the normalised record, and encoding
//     is deterministic;
//   - an interchange document that parses survives export and re-parse
//     unchanged.
#include <sodium.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string_view>

#include "dmp/codec.hpp"
#include "input/unsigned_record.hpp"
#include "ledger/interchange.hpp"

namespace {

void require(bool condition, const char* invariant) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_unsigned_json: invariant violated: %s\n", invariant);
  std::abort();
}

constexpr std::uint64_t kNow = 1'900'000'000;

dmp::PublicKey fixed_key() {
  dmp::PublicKey key{};
  for (std::size_t i = 0; i < key.size(); ++i)
    key[i] = static_cast<std::uint8_t>(0x2e + 7 * i);
  return key;
}

void check_record(std::string_view text) {
  auto parsed = dmp::input::parse_unsigned_record(text);
  if (!parsed) {
    require(
        parsed.error().reason == dmp::Reason::invalid_field && !parsed.error().message().empty(),
        "a refusal is invalid_field with a message");
    return;
  }
  // Both the key the input names (when it names one) and another key.
  for (const dmp::PublicKey& key : {dmp::signing_key_of(parsed->record), fixed_key()}) {
    auto record = dmp::input::resolve(*parsed, key, 7, kNow);
    if (!record) {
      require(parsed->signing_key_given || parsed->expiry.relative,
              "resolve fails only on a key mismatch or an expiry overflow");
      continue;
    }
    require(dmp::signing_key_of(*record) == key, "the signing key is the resolved key");
    require(dmp::seq_of(*record) == (parsed->seq.automatic ? 7 : parsed->seq.value),
            "seq is the given one or the auto seq");
    auto body = dmp::encode_body(*record);
    auto normalized = dmp::normalize(*record);
    require(body.has_value() == normalized.has_value(), "encode and normalize agree");
    if (!body) continue;
    auto again = dmp::encode_body(*record);
    require(again && *again == *body, "encoding is deterministic");
    auto decoded = dmp::decode_body(dmp::type_of(*record), *body);
    require(decoded.has_value(), "an encoded body decodes");
    require(*decoded == *normalized, "the body decodes to the normalised record");
  }
}

void check_interchange(std::string_view text) {
  auto marks = dmp::ledger::parse_interchange(text);
  if (!marks) {
    require(marks.error().reason == dmp::Reason::invalid_field && !marks.error().message().empty(),
            "a refusal is invalid_field with a message");
    return;
  }
  std::map<dmp::ledger::MarkKey, dmp::ledger::Mark> full;
  for (const auto& [key, seq] : *marks)
    full[key].seq = seq;
  auto again = dmp::ledger::parse_interchange(dmp::ledger::export_interchange(full));
  require(again.has_value(), "an export parses");
  require(*again == *marks, "export and re-parse keep every mark");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool sodium_ready = sodium_init() >= 0;
  require(sodium_ready, "libsodium initialises");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_record(text);
  check_interchange(text);
  return 0;
}
