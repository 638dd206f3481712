#include "verify/trust_file.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "dmp/encoding.hpp"
#include "dmp/names.hpp"
#include "dmp/verify.hpp"

namespace dmp::cli {
namespace {

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

// Calls `each(line_number, line)` for every '\n'-separated line.
template <class Fn>
Status for_each_line(std::string_view text, Fn&& each) {
  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    if (auto status = each(number, line); !status) return status;
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return ok();
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && is_space(line[pos]))
      ++pos;
    const std::size_t start = pos;
    while (pos < line.size() && !is_space(line[pos]))
      ++pos;
    if (pos > start) fields.push_back(line.substr(start, pos - start));
  }
  return fields;
}

std::string where(std::string_view source, std::size_t line) {
  return std::string(source) + ":" + std::to_string(line);
}

Failure rule_error(const std::string& location, const std::string& rule) {
  return fail(Reason::invalid_field, location, rule);
}

// Re-labels an error from a shared rule (hex, DNS name) with the file
// location, keeping the rule text.
Failure located(const std::string& location, const Error& error) {
  return rule_error(location, error.message());
}

Status parse_trust_line(std::string_view source, std::size_t number, std::string_view line,
                        TrustStore& store) {
  line = line.substr(0, line.find('#'));  // names and hex never contain '#'
  const std::vector<std::string_view> fields = split_fields(line);
  if (fields.empty()) return ok();
  const std::string location = where(source, number);
  if (fields.size() != 3) {
    return rule_error(location, "expected '<cluster|bootstrap> <name> <64-hex key>' (found " +
                                    std::to_string(fields.size()) + " fields)");
  }
  RecordType type = RecordType::cluster;
  if (fields[0] == "cluster") {
    type = RecordType::cluster;
  } else if (fields[0] == "bootstrap") {
    type = RecordType::bootstrap;
  } else {
    return rule_error(location, "record type must be 'cluster' or 'bootstrap' (found '" +
                                    std::string(fields[0]) + "')");
  }
  if (auto name = check_dns_name(fields[1], "name"); !name) return located(location, name.error());
  if (strip_one_dot(fields[1]).size() > kMaxNameLen) {
    return rule_error(location, "name: longer than 64 bytes, so no record can carry it");
  }
  auto key = encoding::public_key_from_hex(fields[2], "key");
  if (!key) return located(location, key.error());
  if (auto pinnable = check_pinnable_key(*key, "key"); !pinnable) {
    return located(location, pinnable.error());
  }
  store.add(type, fields[1], *key);
  return ok();
}

}  // namespace

std::string normalize_pin_name(std::string_view name) {
  return ascii_lower(strip_one_dot(name));
}

void TrustStore::add(RecordType type, std::string_view name, const PublicKey& key) {
  auto& keys = pins_[{type, normalize_pin_name(name)}];
  if (std::find(keys.begin(), keys.end(), key) != keys.end()) return;
  keys.push_back(key);
  ++pin_count_;
}

std::span<const PublicKey> TrustStore::keys_for(RecordType type, std::string_view name) const {
  const auto it = pins_.find({type, normalize_pin_name(name)});
  if (it == pins_.end()) return {};
  return it->second;
}

Status check_pinnable_key(const PublicKey& key, std::string_view where) {
  if (is_rejected_public_key(key)) {
    const std::string w(where);
    return fail(Reason::invalid_field, w,
                "is a low-order point on the blocklist (spec 1.2.1); it can never verify");
  }
  return ok();
}

Result<TrustStore> parse_trust_text(std::string_view text, std::string_view source) {
  TrustStore store;
  auto parsed = for_each_line(text, [&](std::size_t number, std::string_view line) {
    return parse_trust_line(source, number, line, store);
  });
  if (!parsed) return parsed.error();
  if (store.pin_count() == 0) {
    const std::string s(source);
    return fail(Reason::invalid_field, s,
                "no pins (expected lines '<cluster|bootstrap> <name> <64-hex key>')");
  }
  return store;
}

Result<PublicKey> parse_pubkey_file_text(std::string_view text, std::string_view source) {
  const std::string s(source);
  // First pass: which form is it? key=value if any content line has '='.
  std::vector<std::pair<std::size_t, std::string_view>> content;
  bool key_value = false;
  auto scanned = for_each_line(text, [&](std::size_t number, std::string_view line) -> Status {
    line = trim(line);
    if (line.empty() || line.front() == '#') return ok();
    key_value = key_value || line.find('=') != std::string_view::npos;
    content.emplace_back(number, line);
    return ok();
  });
  if (!scanned) return scanned.error();
  if (content.empty()) return rule_error(s, "no key found (file is empty or only comments)");

  if (!key_value) {
    if (content.size() != 1) {
      return rule_error(where(source, content[1].first),
                        "expected only the 64-hex public key, or key=value lines");
    }
    auto key = encoding::public_key_from_hex(content[0].second, "key");
    if (!key) return located(where(source, content[0].first), key.error());
    if (auto pinnable = check_pinnable_key(*key, "key"); !pinnable) {
      return located(where(source, content[0].first), pinnable.error());
    }
    return key;
  }

  std::optional<PublicKey> found;
  for (const auto& [number, line] : content) {
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return rule_error(where(source, number), "expected 'key=value'");
    }
    if (trim(line.substr(0, eq)) != "operator_public_hex") continue;  // seed: never decoded
    if (found) return rule_error(where(source, number), "operator_public_hex given twice");
    auto key = encoding::public_key_from_hex(trim(line.substr(eq + 1)), "operator_public_hex");
    if (!key) return located(where(source, number), key.error());
    if (auto pinnable = check_pinnable_key(*key, "operator_public_hex"); !pinnable) {
      return located(where(source, number), pinnable.error());
    }
    found = *key;
  }
  if (!found) return rule_error(s, "no 'operator_public_hex=' line");
  return *found;
}

}  // namespace dmp::cli
