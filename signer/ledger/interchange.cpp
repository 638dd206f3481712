#include "ledger/interchange.hpp"

#include <nlohmann/json.hpp>

#include "common/time_text.hpp"
#include "dmp/encoding.hpp"
#include "dmp/names.hpp"
#include "input/strict_json.hpp"

namespace dmp::ledger {
namespace {

using json = nlohmann::json;

Failure invalid(const std::string& path, const std::string& rule) {
  return fail(Reason::invalid_field, "interchange " + path, rule);
}

// The whole line format, not only the rules checked above: the entry this
// mark becomes (at the latest possible time, so its line is the longest it
// can be) must read back through the ledger parser.
Status reads_back_as_import(const MarkKey& key, std::uint64_t seq) {
  Entry entry;
  entry.time = UINT64_MAX;
  entry.event = Event::import;
  entry.type = key.type;
  entry.name = key.name;
  entry.key = key.key;
  entry.seq = seq;
  return check_reads_back(seal_entry(std::move(entry), nullptr));
}

}  // namespace

std::string export_interchange(const std::map<MarkKey, Mark>& marks) {
  json list = json::array();
  for (const auto& [key, mark] : marks) {
    list.push_back({{"type", std::string(record_type_name(key.type))},
                    {"name", key.name},
                    {"public_key", encoding::hex_encode(key.key)},
                    {"seq", std::to_string(mark.seq)}});
  }
  return json{{"dmp_signer_interchange", 1}, {"marks", std::move(list)}}.dump(2) + "\n";
}

Result<std::map<MarkKey, std::uint64_t>> parse_interchange(std::string_view text) {
  if (text.size() > kMaxInterchangeLen) return invalid("document", "larger than 16 MiB");
  // A repeated member would otherwise be resolved silently ({"seq": "90",
  // ..., "seq": "9"} raising a mark to 9, not 90): refused like any rule.
  auto parsed = input::parse_json_strictly(text);
  if (!parsed && parsed.error().field == "json") return invalid("document", "is not valid JSON");
  if (!parsed) return invalid(parsed.error().field, "appears more than once in one object");
  const json root = std::move(*parsed);
  if (!root.is_object()) return invalid("document", "must be an object");
  for (const auto& [key, value] : root.items()) {
    if (key != "dmp_signer_interchange" && key != "marks") {
      return invalid(key, "unknown field (allowed: dmp_signer_interchange, marks)");
    }
  }
  if (!root.contains("dmp_signer_interchange") ||
      !root["dmp_signer_interchange"].is_number_unsigned() || root["dmp_signer_interchange"] != 1) {
    return invalid("dmp_signer_interchange", "must be 1 (the only version this dmp-sign reads)");
  }
  if (!root.contains("marks") || !root["marks"].is_array()) {
    return invalid("marks", "must be an array");
  }
  std::map<MarkKey, std::uint64_t> marks;
  const json& list = root["marks"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = "marks[" + std::to_string(i) + "]";
    const json& m = list[i];
    if (!m.is_object()) return invalid(path, "must be an object");
    for (const auto& [key, value] : m.items()) {
      if (key != "type" && key != "name" && key != "public_key" && key != "seq") {
        return invalid(path + "." + key, "unknown field (allowed: type, name, public_key, seq)");
      }
      if (!value.is_string()) return invalid(path + "." + key, "must be a string");
    }
    for (const char* required : {"type", "name", "public_key", "seq"}) {
      if (!m.contains(required)) return invalid(path + "." + required, "is required");
    }
    MarkKey key;
    const std::string type = m["type"].get<std::string>();
    if (type == "cluster") {
      key.type = RecordType::cluster;
    } else if (type == "bootstrap") {
      key.type = RecordType::bootstrap;
    } else if (type == "rotation") {
      key.type = RecordType::rotation;
    } else {
      return invalid(path + ".type", "must be \"cluster\", \"bootstrap\" or \"rotation\"");
    }
    const std::string name = m["name"].get<std::string>();
    if (auto rule = check_dns_name(name, path + ".name"); !rule) {
      // The rule's message already starts with the field's path.
      return fail(Reason::invalid_field, "interchange " + rule.error().field, rule.error().rule);
    }
    key.name = normalize_name(name);
    // The ledger's own name rule (64 bytes at most, among others): a mark
    // it would refuse to read back must never reach it.
    if (auto rule = check_entry_name(key.name, path + ".name"); !rule) {
      return fail(Reason::invalid_field, "interchange " + rule.error().field, rule.error().rule);
    }
    auto public_key =
        encoding::public_key_from_hex(m["public_key"].get<std::string>(), path + ".public_key");
    if (!public_key) return invalid(path + ".public_key", "must be 64 hex digits");
    key.key = *public_key;
    auto seq = cli::parse_decimal_u64(m["seq"].get<std::string>(), path + ".seq");
    if (!seq) return invalid(path + ".seq", "must be a decimal string 0..2^64-1");
    if (auto readable = reads_back_as_import(key, *seq); !readable) {
      return fail(Reason::invalid_field, "interchange " + path, readable.error().message());
    }
    if (!marks.emplace(key, *seq).second) {
      return invalid(path, "duplicates an earlier mark for the same type, name and key");
    }
  }
  return marks;
}

}  // namespace dmp::ledger
