// libFuzzer target: the input is a signing ledger file (signer/ledger,
// format v1). Aborts when an invariant breaks:
//   - a refusal is Reason::ledger_corrupt naming a line;
//   - an accepted ledger is reproduced byte for byte by its header and
//     format_entry of every entry (the format has one spelling per entry, so
//     what the hash chain covers is exactly what is on disk);
//   - the chain links: indexes 1..n, each prev is the previous hash, and
//     re-sealing an entry gives the same hash;
//   - high_water_marks keeps, per (type, name, key), the highest seq seen.
#include <sodium.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ledger/ledger_format.hpp"

namespace {

void require(bool condition, const char* invariant) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_ledger: invariant violated: %s\n", invariant);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool sodium_ready = sodium_init() >= 0;
  require(sodium_ready, "libsodium initialises");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto entries = dmp::ledger::parse_ledger(text);
  if (!entries) {
    require(entries.error().reason == dmp::Reason::ledger_corrupt, "refusals are ledger_corrupt");
    require(entries.error().message().rfind("ledger", 0) == 0, "a refusal names the ledger line");
    return 0;
  }
  std::string again = text.empty() ? "" : std::string(dmp::ledger::kHeaderLine) + "\n";
  const dmp::ledger::Entry* previous = nullptr;
  for (const auto& e : *entries) {
    again += dmp::ledger::format_entry(e) + "\n";
    require(e.index == (previous == nullptr ? 1 : previous->index + 1), "indexes count up from 1");
    const dmp::ledger::Entry resealed = dmp::ledger::seal_entry(e, previous);
    require(resealed.hash == e.hash && resealed.prev == e.prev, "re-sealing gives the same hash");
    previous = &e;
  }
  require(again == text, "format_entry reproduces every line");

  const auto marks = dmp::ledger::high_water_marks(*entries);
  for (const auto& e : *entries) {
    const auto it = marks.find(dmp::ledger::MarkKey{e.type, e.name, e.key});
    require(it != marks.end(), "every entry has a mark");
    require(it->second.seq >= e.seq, "a mark is at least every seq of its key");
  }
  for (const auto& [key, mark] : marks) {
    bool seen = false;
    for (const auto& e : *entries) {
      seen = seen ||
             (e.type == key.type && e.name == key.name && e.key == key.key && e.seq == mark.seq);
    }
    require(seen, "a mark is the seq of one of its entries");
  }
  return 0;
}
