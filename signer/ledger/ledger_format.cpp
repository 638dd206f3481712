#include "ledger/ledger_format.hpp"

#include <sodium.h>

#include <algorithm>

#include "dmp/encoding.hpp"
#include "dmp/names.hpp"

namespace dmp::ledger {
namespace {

constexpr std::string_view kHashDomain = "dmp-ledger-v1";
constexpr std::size_t kFieldCount = 12;

// Hash and key fields are lower-case hex: the one spelling hex_encode gives,
// so each field has a single form the entry hash can cover.
bool unhex(std::string_view text, std::span<std::uint8_t> out) {
  return encoding::hex_decode_into(text, out) && encoding::hex_encode(out) == text;
}

std::optional<std::uint64_t> decimal(std::string_view text) {
  if (text.empty() || text.size() > 20 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

// Every type a ledger may hold. rotation and revocation came later (their
// entries log the signatures of `rotate` and `revoke`); a ledger without
// them reads exactly as before.
std::optional<RecordType> record_type_from_name(std::string_view name) {
  for (RecordType type :
       {RecordType::cluster, RecordType::bootstrap, RecordType::rotation, RecordType::revocation}) {
    if (name == record_type_name(type)) return type;
  }
  return std::nullopt;
}

std::string_view event_name(Event event) {
  switch (event) {
    case Event::sign:
      return "sign";
    case Event::reemit:
      return "reemit";
    case Event::import:
      return "import";
  }
  return "sign";
}

// The text the entry hash covers: everything on the line before `hash`.
std::string hashed_text(const Entry& e) {
  std::string text(kHashDomain);
  for (const std::string& field :
       {std::to_string(e.index), std::to_string(e.time), std::string(event_name(e.event)),
        std::string(record_type_name(e.type)), e.name, encoding::hex_encode(e.key),
        std::to_string(e.seq), std::to_string(e.exp), encoding::hex_encode(e.body_sha256),
        e.body.empty() ? std::string("-") : encoding::base64_encode(e.body),
        encoding::hex_encode(e.prev)}) {
    text += ' ';
    text += field;
  }
  return text;
}

Hash compute_hash(const Entry& e) {
  const std::string text = hashed_text(e);
  return sha256(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

Failure corrupt(std::size_t line_no, const std::string& what) {
  return fail(Reason::ledger_corrupt, "ledger line " + std::to_string(line_no), what);
}

Result<Entry> parse_line(std::string_view line, std::size_t line_no) {
  std::vector<std::string_view> fields;
  for (std::size_t pos = 0; pos <= line.size();) {
    std::size_t end = line.find(' ', pos);
    if (end == std::string_view::npos) end = line.size();
    fields.push_back(line.substr(pos, end - pos));
    pos = end + 1;
  }
  if (fields.size() != kFieldCount) {
    return corrupt(line_no,
                   "expected 12 space-separated fields, found " + std::to_string(fields.size()));
  }
  Entry e;
  const auto index = decimal(fields[0]), time = decimal(fields[1]), seq = decimal(fields[6]),
             exp = decimal(fields[7]);
  if (!index || !time || !seq || !exp) return corrupt(line_no, "a number field is not decimal");
  e.index = *index, e.time = *time, e.seq = *seq, e.exp = *exp;
  if (fields[2] == "sign") {
    e.event = Event::sign;
  } else if (fields[2] == "reemit") {
    e.event = Event::reemit;
  } else if (fields[2] == "import") {
    e.event = Event::import;
  } else {
    return corrupt(line_no, "unknown event '" + std::string(fields[2]) + "'");
  }
  const auto type = record_type_from_name(fields[3]);
  if (!type) return corrupt(line_no, "unknown record type");
  e.type = *type;
  e.name = std::string(fields[4]);
  if (auto rule = check_entry_name(e.name, "name"); !rule) {
    return corrupt(line_no, rule.error().message());
  }
  if (!unhex(fields[5], e.key) || !unhex(fields[8], e.body_sha256) || !unhex(fields[10], e.prev) ||
      !unhex(fields[11], e.hash)) {
    return corrupt(line_no, "a hash or key field is not 64 lower-case hex digits");
  }
  if (fields[9] != "-") {
    auto body = encoding::base64_decode(fields[9], "body");
    if (!body || body->empty()) return corrupt(line_no, "body is not canonical base64");
    e.body = std::move(*body);
  }
  if ((e.event == Event::import) != e.body.empty()) {
    return corrupt(line_no, "import entries carry no body and other entries must");
  }
  return e;
}

}  // namespace

std::string normalize_name(std::string_view name) {
  return ascii_lower(strip_one_dot(name));
}

Status check_entry_name(std::string_view name, std::string_view field) {
  const std::string f(field);
  // Every name a ledger logs is a cluster_name, user_domain or operator
  // subject, none longer than 64 bytes; a longer one could only come from a
  // hand-made import, and one of 4 KiB would make its line unreadable.
  if (name.size() > kMaxNameLen) {
    return fail(Reason::invalid_field, f,
                "longer than 64 bytes (" + std::to_string(name.size()) + ")");
  }
  if (auto rule = check_dns_name(name, f); !rule) return rule;
  if (name != normalize_name(name)) {
    return fail(Reason::invalid_field, f, "not normalised (lower case, no trailing dot)");
  }
  return ok();
}

Hash sha256(std::span<const std::uint8_t> bytes) {
  Hash out{};
  crypto_hash_sha256(out.data(), bytes.data(), bytes.size());
  return out;
}

Entry seal_entry(Entry entry, const Entry* previous) {
  entry.index = previous == nullptr ? 1 : previous->index + 1;
  entry.prev = previous == nullptr ? Hash{} : previous->hash;
  if (entry.event != Event::import) entry.body_sha256 = sha256(entry.body);
  entry.hash = compute_hash(entry);
  return entry;
}

std::string format_entry(const Entry& entry) {
  return hashed_text(entry).substr(kHashDomain.size() + 1) + " " + encoding::hex_encode(entry.hash);
}

Status check_reads_back(const Entry& entry) {
  auto parsed = parse_line(format_entry(entry), static_cast<std::size_t>(entry.index) + 1);
  if (!parsed || !(*parsed == entry)) {
    return fail(
        Reason::invalid_field, "ledger entry refused before writing",
        (parsed ? std::string("it would not read back the same") : parsed.error().message()));
  }
  return ok();
}

Result<std::vector<Entry>> parse_ledger(std::string_view text) {
  if (text.size() > kMaxLedgerLen) {
    return fail(Reason::ledger_corrupt, "ledger", "larger than 64 MiB");
  }
  std::vector<Entry> entries;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) return corrupt(line_no + 1, "last line has no newline");
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.size() > kMaxLineLen) return corrupt(line_no, "longer than 4096 bytes");
    if (line_no == 1) {
      if (line != kHeaderLine)
        return corrupt(1, "first line must be '" + std::string(kHeaderLine) + "'");
      continue;
    }
    auto entry = parse_line(line, line_no);
    if (!entry) return entry.error();
    const Entry* previous = entries.empty() ? nullptr : &entries.back();
    const std::uint64_t expected_index = previous == nullptr ? 1 : previous->index + 1;
    if (entry->index != expected_index) {
      return corrupt(line_no, "entry index " + std::to_string(entry->index) + ", expected " +
                                  std::to_string(expected_index) + " (entry dropped or reordered)");
    }
    if (entry->prev != (previous == nullptr ? Hash{} : previous->hash)) {
      return corrupt(line_no,
                     "does not chain to the entry before it (dropped, inserted or "
                     "reordered entry)");
    }
    if (entry->event != Event::import && entry->body_sha256 != sha256(entry->body)) {
      return corrupt(line_no, "body does not match its SHA-256 (edited)");
    }
    if (entry->hash != compute_hash(*entry)) {
      return corrupt(line_no, "entry hash does not match its fields (edited)");
    }
    // The hash covers the fields as re-encoded, so the line must be their one
    // spelling, whatever a field's own parser let through.
    if (format_entry(*entry) != line) {
      return corrupt(line_no, "not in the canonical form of its fields (edited)");
    }
    entries.push_back(std::move(*entry));
  }
  if (line_no == 0 && !text.empty()) return corrupt(1, "missing header");
  return entries;
}

std::map<MarkKey, Mark> high_water_marks(const std::vector<Entry>& entries) {
  std::map<MarkKey, Mark> marks;
  for (const Entry& e : entries) {
    if (e.type == RecordType::revocation) continue;  // no seq: permanent, not a mark
    const MarkKey key{e.type, e.name, e.key};
    auto it = marks.find(key);
    if (it == marks.end() || e.seq > it->second.seq ||
        (e.seq == it->second.seq && it->second.body.empty() && !e.body.empty())) {
      marks[key] = Mark{e.seq, e.body_sha256, e.body};
    }
  }
  return marks;
}

}  // namespace dmp::ledger
