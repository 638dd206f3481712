// libFuzzer target: the input is a ledger head file (signer/ledger/
// ledger_head.hpp). Aborts when an invariant breaks:
//   - a refusal is Reason::ledger_corrupt on field "head";
//   - an accepted head is reproduced byte for byte by format_head (one
//     spelling per head, so a rewritten head cannot pass as the same one);
//   - a batch in flight announces at least 2 entries, and an empty ledger's
//     hash is zeros.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "ledger/ledger_head.hpp"

namespace {

void require(bool condition, const char* invariant) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_ledger_head: invariant violated: %s\n", invariant);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto head = dmp::ledger::parse_head(text);
  if (!head) {
    require(head.error().reason == dmp::Reason::ledger_corrupt, "refusals are ledger_corrupt");
    require(head.error().field == "head", "a refusal names the head");
    return 0;
  }
  require(dmp::ledger::format_head(*head) == text, "format_head reproduces the head");
  require(
      head->pending == 0 || (head->pending >= 2 && head->pending <= dmp::ledger::kMaxBatchEntries),
      "a batch has 2 to kMaxBatchEntries entries");
  require(head->count != 0 || head->hash == dmp::ledger::Hash{}, "empty ledger, zero hash");
  require(dmp::ledger::entries_allowed_ahead(*head) >= 1, "one entry ahead is always allowed");
  return 0;
}
