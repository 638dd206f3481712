// The ledger anchor: what an operator writes in the paper log after a
// ceremony, so that the next one can tell the ledger it finds is the one it
// left (or that one with entries added), not an older copy or a rewrite.
//
//   <entry count>:<hash of the last entry, 64 hex>     e.g. 12:3f0a...c9
//
// An empty ledger's anchor is 0 and 64 zeros. The ledger alone cannot know
// that it was replaced by an older state dir or another --state-dir; only a
// comparison with an anchor kept elsewhere can.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger_format.hpp"

namespace dmp::ledger {

struct Anchor {
  std::uint64_t count = 0;
  Hash head{};  // hash of entry `count`; zeros when count is 0
  bool operator==(const Anchor&) const = default;
};

Anchor anchor_of(const std::vector<Entry>& entries);

std::string format_anchor(const Anchor& anchor);  // "<count>:<64 hex>"

// What an operator wrote down: "N:HASH" or just "HASH" (64 hex, either
// case). Reason::usage naming `field` otherwise.
struct ExpectedAnchor {
  std::optional<std::uint64_t> count;
  Hash head{};
};
Result<ExpectedAnchor> parse_anchor(std::string_view text, std::string_view field);

// How many entries were appended after the anchored one: 0 when the ledger
// is at the anchor. Reason::ledger_corrupt when the anchored entry is not in
// the chain (at its index, when the anchor gives one): the ledger was rolled
// back (an older copy, another state dir) or rewritten.
Result<std::uint64_t> entries_since(const std::vector<Entry>& entries,
                                    const ExpectedAnchor& anchor);

}  // namespace dmp::ledger
