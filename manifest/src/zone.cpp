// TXT presentation format: split for output, one-record parser for input.
#include "dmp/zone.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "dmp/codec.hpp"
#include "dmp/names.hpp"

namespace dmp {
namespace {

struct Token {
  std::string text;  // unescaped
  bool quoted = false;
  std::string raw;  // as written (bare tokens): owner names keep their escapes
};

Failure zone_error(const std::string& rule) {
  return fail(Reason::malformed, "zone", rule);
}

bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r';
}

// Reads one escape after a backslash: \DDD (decimal byte) or \X (X itself).
Result<char> read_escape(std::string_view text, std::size_t& pos) {
  if (pos >= text.size()) return zone_error("backslash at end of input");
  if (std::isdigit(static_cast<unsigned char>(text[pos]))) {
    if (pos + 3 > text.size()) return zone_error("\\DDD escape needs three digits");
    int value = 0;
    for (int i = 0; i < 3; ++i) {
      const char d = text[pos + i];
      if (!std::isdigit(static_cast<unsigned char>(d))) {
        return zone_error("\\DDD escape needs three digits");
      }
      value = value * 10 + (d - '0');
    }
    if (value > 255) return zone_error("\\DDD escape above 255");
    pos += 3;
    return static_cast<char>(value);
  }
  return text[pos++];
}

// Splits master-file text into logical lines of tokens: parentheses join
// physical lines, ';' starts a comment outside quotes.
Result<std::vector<std::vector<Token>>> tokenize(std::string_view text) {
  std::vector<std::vector<Token>> lines(1);
  int depth = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    if (is_blank(c)) {
      ++pos;
    } else if (c == '\n') {
      ++pos;
      if (depth == 0 && !lines.back().empty()) lines.emplace_back();
    } else if (c == ';') {
      while (pos < text.size() && text[pos] != '\n')
        ++pos;
    } else if (c == '(') {
      ++depth, ++pos;
    } else if (c == ')') {
      if (--depth < 0) return zone_error("')' without '('");
      ++pos;
    } else if (c == '"') {
      Token token{.text = {}, .quoted = true, .raw = {}};
      ++pos;
      while (true) {
        if (pos >= text.size() || text[pos] == '\n')
          return zone_error("unterminated quoted string");
        const char q = text[pos++];
        if (q == '"') break;
        if (q == '\\') {
          auto escaped = read_escape(text, pos);
          if (!escaped) return escaped.error();
          token.text += *escaped;
        } else {
          token.text += q;
        }
      }
      lines.back().push_back(std::move(token));
    } else {
      Token token;
      const std::size_t start = pos;
      while (pos < text.size() && !is_blank(text[pos]) && text[pos] != '\n' && text[pos] != ';' &&
             text[pos] != '(' && text[pos] != ')' && text[pos] != '"') {
        const char b = text[pos++];
        if (b == '\\') {
          auto escaped = read_escape(text, pos);
          if (!escaped) return escaped.error();
          token.text += *escaped;
        } else {
          token.text += b;
        }
      }
      token.raw = std::string(text.substr(start, pos - start));
      lines.back().push_back(std::move(token));
    }
  }
  if (depth != 0) return zone_error("'(' without ')'");
  if (lines.back().empty()) lines.pop_back();
  return lines;
}

// A TTL as BIND writes it: seconds ("3600") or unit groups ("1h30m", "1d").
std::optional<std::uint64_t> parse_ttl(std::string_view text) {
  if (text.empty() || text.size() > 32) return std::nullopt;
  std::uint64_t total = 0, number = 0;
  bool have_digits = false, used_units = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      number = number * 10 + static_cast<std::uint64_t>(c - '0');
      if (number > 0xffffffffULL) return std::nullopt;
      have_digits = true;
      continue;
    }
    const std::uint64_t unit = time_unit_seconds(c);
    if (unit == 0) return std::nullopt;
    if (!have_digits) return std::nullopt;
    total += number * unit;
    if (total > 0xffffffffULL) return std::nullopt;
    number = 0, have_digits = false, used_units = true;
  }
  if (have_digits) {
    if (used_units) return std::nullopt;  // "1h30" is ambiguous
    total = number;
  }
  return total;
}

bool starts_with_digit(std::string_view text) noexcept {
  return !text.empty() && text[0] >= '0' && text[0] <= '9';
}

// Splits a presentation-format name into unescaped labels; an escaped dot
// ("\." or "\046") belongs to its label. nullopt on a bad escape.
std::optional<std::vector<std::string>> name_labels(std::string_view name) {
  std::vector<std::string> labels(1);
  for (std::size_t pos = 0; pos < name.size();) {
    const char c = name[pos++];
    if (c == '.') {
      labels.emplace_back();
    } else if (c == '\\') {
      auto escaped = read_escape(name, pos);
      if (!escaped) return std::nullopt;
      labels.back() += *escaped;
    } else {
      labels.back() += c;
    }
  }
  if (labels.size() > 1 && labels.back().empty()) labels.pop_back();  // absolute name
  return labels;
}

// The owner, TTL and class of one tokenized record, and its character-strings
// joined (§8: no separator).
Result<TxtRecord> txt_record_of(const std::vector<Token>& record) {
  TxtRecord out;
  std::size_t i = 0;
  if (record[i].quoted) return zone_error("owner name must not be quoted");
  out.owner = record[i++].raw;
  bool seen_class = false;
  for (; i < record.size() && !record[i].quoted; ++i) {
    const std::string word = ascii_lower(record[i].text);
    if (word == "txt") break;
    if (starts_with_digit(word) && !out.ttl) {
      const auto ttl = parse_ttl(word);
      if (!ttl)
        return zone_error("TTL '" + record[i].text + "' is not seconds or units like 1h30m");
      if (*ttl > 0x7fffffffULL) return zone_error("TTL above 2147483647");
      out.ttl = static_cast<std::uint32_t>(*ttl);
    } else if (word == "in" && !seen_class) {
      seen_class = true;
    } else {
      return zone_error("expected TTL, class IN or type TXT, found '" + record[i].text + "'");
    }
  }
  if (i >= record.size() || record[i].quoted) return zone_error("record type TXT missing");
  ++i;
  if (i == record.size()) return zone_error("TXT record has no character-string");
  for (; i < record.size(); ++i) {
    if (record[i].text.size() > kMaxTxtStringLen) {
      return zone_error("character-string longer than 255 bytes");
    }
    out.joined += record[i].text;
  }
  return out;
}

// "$TTL N": the one directive both parsers pass over.
bool is_default_ttl(const std::vector<Token>& line) {
  return !line.front().quoted && line.front().text == "$TTL" && line.size() == 2 && !line[1].quoted;
}

// Whether the data of a tokenized line holds a word that starts like a DMP
// wire. The owner position is not data: a wire there (" v=dmp1;..." with a
// leading blank) is a broken bare wire, for the one-record parser to name.
bool holds_wire(const std::vector<Token>& line) {
  const auto data = line.begin() + (line.front().quoted ? 0 : 1);
  return std::any_of(data, line.end(),
                     [](const Token& token) { return token.text.starts_with(kWireStart); });
}

// Whether a tokenized record is an IN-class TXT record: after the owner, TTL
// and class words may come in either order, then the type. A CHAOS or
// Hesiod TXT record (`dig CH TXT version.bind`) is another record, passed
// over like an RRSIG (and refused if a wire hides in it).
bool is_txt(const std::vector<Token>& record) {
  for (std::size_t i = 1; i < record.size() && !record[i].quoted; ++i) {
    const std::string word = ascii_lower(record[i].text);
    if (word == "txt") return true;
    if (starts_with_digit(word) || word == "in") continue;
    return false;
  }
  return false;
}

}  // namespace

std::uint64_t time_unit_seconds(char unit) noexcept {
  switch (unit | 0x20) {
    case 's':
      return 1;
    case 'm':
      return 60;
    case 'h':
      return 3600;
    case 'd':
      return 86400;
    case 'w':
      return 604800;
    default:
      return 0;
  }
}

std::vector<std::string> split_txt_strings(std::string_view wire) {
  std::vector<std::string> pieces;
  for (std::size_t pos = 0; pos < wire.size(); pos += kMaxTxtStringLen) {
    pieces.emplace_back(wire.substr(pos, kMaxTxtStringLen));
  }
  return pieces;
}

std::string quote_txt_strings(std::string_view wire) {
  std::string out;
  for (const std::string& piece : split_txt_strings(wire)) {
    if (!out.empty()) out += ' ';
    out += '"';
    for (char c : piece) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out;
}

Result<TxtRecord> parse_txt_record(std::string_view zone_text) {
  if (zone_text.size() > kMaxZoneTextLen) {
    return zone_error("text longer than " + std::to_string(kMaxZoneTextLen) + " bytes");
  }
  auto lines = tokenize(zone_text);
  if (!lines) return lines.error();
  std::vector<Token> record;
  for (auto& line : *lines) {
    // A default TTL is harmless, but only as "$TTL N": parentheses after it
    // would swallow a record into the skipped line.
    if (is_default_ttl(line)) continue;
    if (!line.front().quoted && line.front().text.starts_with("$")) {
      return zone_error("directive '" + line.front().text + "' is not supported");
    }
    if (!record.empty()) return zone_error("more than one record; give one TXT record per file");
    record = std::move(line);
  }
  if (record.empty()) return zone_error("no TXT record found");
  return txt_record_of(record);
}

Result<std::vector<TxtRecord>> parse_txt_records(std::string_view text) {
  if (text.size() > kMaxRecordsTextLen) {
    return zone_error("text longer than " + std::to_string(kMaxRecordsTextLen) + " bytes");
  }
  auto lines = tokenize(text);
  if (!lines) return lines.error();
  std::vector<TxtRecord> records;
  for (std::size_t n = 0; n < lines->size(); ++n) {
    const std::vector<Token>& line = (*lines)[n];
    if (line.empty()) continue;
    const std::string where = "record " + std::to_string(n + 1);
    if (!line.front().quoted && line.front().text.starts_with("$")) {
      // $TTL N only: $ORIGIN would make relative owners mean something else
      // and $INCLUDE would hide records.
      if (!is_default_ttl(line)) {
        return zone_error(where + ": directive '" + line.front().text + "' is not supported");
      }
      continue;
    }
    // A line passed over below must not be where a DMP record hides: a
    // wire in it is refused, not skipped.
    if (line.front().quoted) {
      // `dig +short`: the character-strings alone. A quoted word followed by
      // anything else ("version": 1) is no record of any type: passed over.
      const bool strings_only =
          std::all_of(line.begin(), line.end(), [](const Token& token) { return token.quoted; });
      if (!strings_only && holds_wire(line)) {
        return zone_error(where + ": a DMP wire among words that are not a record");
      }
      if (!strings_only) continue;
      TxtRecord out;
      for (const Token& token : line) {
        if (token.text.size() > kMaxTxtStringLen) {
          return zone_error("character-string longer than 255 bytes");
        }
        out.joined += token.text;
      }
      records.push_back(std::move(out));
      continue;
    }
    if (!is_txt(line)) {  // dig prints CNAME, RRSIG, SOA ... beside the TXT
      if (holds_wire(line))
        return zone_error(where + ": a DMP wire in a record that is not an IN-class TXT record");
      continue;
    }
    auto record = txt_record_of(line);
    if (!record) return record.error();
    records.push_back(std::move(*record));
  }
  return records;
}

bool owner_matches(std::string_view owner, std::string_view rrset_name) {
  // Compare label by label after unescaping, so "cluster\\.mesh.example.com"
  // (first label "cluster.mesh") does not pass for cluster.mesh.example.com.
  const auto owner_labels = name_labels(owner);
  const auto rrset_labels = name_labels(rrset_name);
  if (!owner_labels || !rrset_labels || owner_labels->size() != rrset_labels->size()) return false;
  for (std::size_t i = 0; i < owner_labels->size(); ++i) {
    if (ascii_lower((*owner_labels)[i]) != ascii_lower((*rrset_labels)[i])) return false;
  }
  return true;
}

}  // namespace dmp
