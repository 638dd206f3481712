// libFuzzer target: the input is zone-file text (what an operator pastes
// into `dmp-verify --zone`). Parses it as one TXT record and aborts when an
// invariant breaks:
//   - parse errors are Reason::malformed;
//   - split_txt_strings cuts the joined text into 255-byte pieces that join
//     back to it;
//   - quote_txt_strings(joined) under an owner, single-line or parenthesised,
//     parses back to the same joined text (for text without a newline: the
//     quoter escapes only '"' and '\', which is all a wire needs);
//   - an owner matches itself in another case and with a trailing dot;
//   - parse_txt_records (zone excerpts, `dig` and `dig +short` output)
//     fails only as malformed, agrees with parse_txt_record on text that one
//     accepts, keeps every string within 255 bytes, and reads a `dig +short`
//     line made by the quoter back to the same text.
// Short inputs also go through the §1.5 name rule and the name binding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include "dmp/names.hpp"
#include "dmp/zone.hpp"

namespace {

constexpr std::string_view kOwner = "owner.example.";
constexpr std::size_t kMaxNameInput = 300;

void require(bool condition, const char* invariant) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_zone: invariant violated: %s\n", invariant);
  std::abort();
}

std::string ascii_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool is_ascii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

void check_name_rules(std::string_view text) {
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(text.data()),
                                            text.size());
  require(dmp::is_valid_utf8(text) == dmp::is_valid_utf8(bytes), "both UTF-8 overloads agree");

  constexpr std::string_view kStored = "mesh.example.com";
  const bool matches = dmp::name_matches_expected(kStored, text);
  if (is_ascii(text)) {
    require(matches == (dmp::ascii_lower(dmp::strip_one_dot(text)) == kStored),
            "for ASCII text the name binding is an ASCII case-insensitive compare");
  }

  auto rule = dmp::check_dns_name(text, "name");
  if (!rule) {
    require(rule.error().reason == dmp::Reason::invalid_field, "name errors are invalid_field");
    return;
  }
  const std::string_view stripped = dmp::strip_one_dot(text);
  require(!stripped.empty() && is_ascii(text), "a valid name is non-empty ASCII");
  require(dmp::check_dns_name(stripped, "name").has_value(),
          "a valid name is valid without its dot");
  require(dmp::name_matches_expected(stripped, ascii_upper(text)),
          "a valid name matches itself upper-cased");
}

void check_reparse(const std::string& zone_text, const std::string& joined, bool has_ttl) {
  if (zone_text.size() > dmp::kMaxZoneTextLen) return;
  auto again = dmp::parse_txt_record(zone_text);
  require(again.has_value(), "quoted character-strings parse back");
  require(again->joined == joined, "quoted character-strings parse back to the same text");
  require(again->owner == kOwner, "the owner parses back");
  require(has_ttl ? again->ttl == 300u : !again->ttl.has_value(), "the TTL parses back");
}

// The several-record reader over the same text.
void check_records(std::string_view text) {
  auto records = dmp::parse_txt_records(text);
  auto single = dmp::parse_txt_record(text);
  if (!records) {
    require(records.error().reason == dmp::Reason::malformed, "records errors are malformed");
    require(!single || text.size() > dmp::kMaxRecordsTextLen,
            "text that holds one good record is read by the records reader too");
    return;
  }
  require(text.size() <= dmp::kMaxRecordsTextLen, "over-long records text is refused");
  if (single) {
    require(records->size() == 1, "one record read alone is one record among records");
    require(records->front().joined == single->joined && records->front().owner == single->owner &&
                records->front().ttl == single->ttl,
            "both readers read one record alike");
  }
  for (const dmp::TxtRecord& record : *records) {
    if (record.joined.empty() || record.joined.find('\n') != std::string::npos) continue;
    const std::string line = dmp::quote_txt_strings(record.joined) + "\n";
    if (line.size() > dmp::kMaxRecordsTextLen) continue;
    auto again = dmp::parse_txt_records(line);
    require(again.has_value() && again->size() == 1, "a dig +short line reads back");
    require(again->front().joined == record.joined && again->front().owner.empty(),
            "a dig +short line reads back to the same text, without an owner");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (size <= kMaxNameInput) check_name_rules(text);
  check_records(text);

  auto parsed = dmp::parse_txt_record(text);
  if (!parsed) {
    require(parsed.error().reason == dmp::Reason::malformed, "zone errors are malformed");
    return 0;
  }
  require(size <= dmp::kMaxZoneTextLen, "over-long zone text is refused");
  require(!parsed->owner.empty(), "a parsed record has an owner");
  require(dmp::owner_matches(parsed->owner, ascii_upper(dmp::strip_one_dot(parsed->owner)) + "."),
          "an owner matches itself upper-cased with a trailing dot");

  const std::string& joined = parsed->joined;
  std::string rejoined;
  const auto pieces = dmp::split_txt_strings(joined);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    require(!pieces[i].empty() && pieces[i].size() <= dmp::kMaxTxtStringLen,
            "character-strings are 1..255 bytes");
    require(i + 1 == pieces.size() || pieces[i].size() == dmp::kMaxTxtStringLen,
            "every piece but the last is 255 bytes");
    rejoined += pieces[i];
  }
  require(rejoined == joined, "the pieces join back to the text");

  if (joined.empty() || joined.find('\n') != std::string::npos) return 0;
  const std::string quoted = dmp::quote_txt_strings(joined);
  check_reparse(std::string(kOwner) + " 300 IN TXT " + quoted + "\n", joined, true);
  check_reparse(
      "; published by fuzz_zone\n" + std::string(kOwner) + " IN TXT (\n  " + quoted + " ) ; end\n",
      joined, false);
  return 0;
}
