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
//     unchanged;
//   - a parsed record written back as draft JSON (output/unsigned_json)
//     parses to the same input: what `dmp-sign draft` writes, sign reads;
//   - the input as a `draft` edit (--add-node ID=URL[,dns=...], --add-entry
//     P:DOMAIN:KEY, ...) is parsed or refused as a value, and an applied
//     edit changes only what it names.
#include <sodium.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string_view>

#include "dmp/codec.hpp"
#include "input/draft_edits.hpp"
#include "input/unsigned_record.hpp"
#include "ledger/interchange.hpp"
#include "output/unsigned_json.hpp"

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
  // Written back as a draft, it reads as the same input.
  {
    const std::optional<dmp::PublicKey> key =
        parsed->signing_key_given ? std::optional(dmp::signing_key_of(parsed->record))
                                  : std::nullopt;
    const std::string written = dmp::output::unsigned_record_json(
        {parsed->record, parsed->seq, parsed->expiry, key, parsed->previous});
    auto again = dmp::input::parse_unsigned_record(written);
    require(again.has_value(), "a written draft parses");
    require(again->record == parsed->record, "a written draft keeps the fields");
    require(again->seq.automatic == parsed->seq.automatic && again->seq.value == parsed->seq.value,
            "a written draft keeps seq");
    require(again->expiry.relative == parsed->expiry.relative &&
                again->expiry.value == parsed->expiry.value,
            "a written draft keeps the expiry");
    require(again->previous == parsed->previous, "a written draft keeps previous");
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

// The input as the text of one draft edit, applied to a fixed manifest and
// bootstrap record.
void check_edit(std::string_view text) {
  dmp::ClusterManifest manifest;
  manifest.cluster_name = "mesh.example.com";
  manifest.nodes.push_back({"n1", "https://n1.example", std::nullopt});
  dmp::BootstrapRecord bootstrap;
  bootstrap.user_domain = "example.com";
  bootstrap.entries.push_back({10, "mesh.example.com", fixed_key()});
  if (auto node = dmp::input::parse_node_spec(text, "--add-node")) {
    require(!node->node_id.empty() && !node->http_endpoint.empty(), "a node has an id and a URL");
    require(!node->dns_endpoint || !node->dns_endpoint->empty(), "a dns_endpoint is not empty");
  } else {
    require(node.error().reason == dmp::Reason::invalid_field, "a bad node is invalid_field");
  }
  if (auto entry = dmp::input::parse_entry_spec(text, "--add-entry")) {
    require(!entry->cluster_base_domain.empty(), "an entry has a domain");
  } else {
    require(entry.error().reason == dmp::Reason::invalid_field, "a bad entry is invalid_field");
  }
  const std::string edit(text);
  dmp::input::DraftEdits node_edits;
  node_edits.set_nodes = {edit};
  if (auto edited = dmp::input::apply_edits(manifest, node_edits)) {
    const auto& m = std::get<dmp::ClusterManifest>(*edited);
    require(m.nodes.size() == 1 && m.nodes[0].node_id == "n1", "--set-node keeps the node set");
    require(m.cluster_name == manifest.cluster_name, "--set-node keeps the name");
  }
  dmp::input::DraftEdits entry_edits;
  entry_edits.set_priorities = {edit};
  if (auto edited = dmp::input::apply_edits(bootstrap, entry_edits)) {
    const auto& b = std::get<dmp::BootstrapRecord>(*edited);
    require(b.entries.size() == 1 && b.entries[0].cluster_base_domain == "mesh.example.com" &&
                b.entries[0].operator_spk == fixed_key(),
            "--set-priority changes only the priority");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool sodium_ready = sodium_init() >= 0;
  require(sodium_ready, "libsodium initialises");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_record(text);
  check_interchange(text);
  check_edit(text);
  return 0;
}
