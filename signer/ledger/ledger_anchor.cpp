#include "ledger/ledger_anchor.hpp"

#include "common/time_text.hpp"
#include "dmp/encoding.hpp"

namespace dmp::ledger {

Anchor anchor_of(const std::vector<Entry>& entries) {
  if (entries.empty()) return Anchor{};
  return Anchor{entries.size(), entries.back().hash};
}

std::string format_anchor(const Anchor& anchor) {
  return std::to_string(anchor.count) + ":" + encoding::hex_encode(anchor.head);
}

Result<ExpectedAnchor> parse_anchor(std::string_view text, std::string_view field) {
  const std::string f(field);
  const auto refuse = [&f](const std::string& rule) {
    return fail(Reason::usage, f,
                rule + " (write it as N:HASH or HASH, as " + "`dmp-sign ledger anchor` prints it)");
  };
  ExpectedAnchor anchor;
  std::string_view hash_text = text;
  if (const std::size_t colon = text.find(':'); colon != std::string_view::npos) {
    auto count = cli::parse_decimal_u64(std::string(text.substr(0, colon)), f);
    if (!count) return refuse("the entry count before ':' is not a decimal number");
    anchor.count = *count;
    hash_text = text.substr(colon + 1);
  }
  auto hash = encoding::hex_decode(hash_text, f);
  if (!hash || hash->size() != anchor.head.size()) {
    return refuse("the head hash must be 64 hex digits");
  }
  std::copy(hash->begin(), hash->end(), anchor.head.begin());
  if (anchor.count && (*anchor.count == 0) != (anchor.head == Hash{})) {
    return refuse("an anchor of 0 entries has the all-zero hash, and only it");
  }
  return anchor;
}

Result<std::uint64_t> entries_since(const std::vector<Entry>& entries,
                                    const ExpectedAnchor& anchor) {
  const auto found = [&]() -> std::optional<std::uint64_t> {
    if (anchor.head == Hash{}) {
      if (!anchor.count || *anchor.count == 0) return 0;  // the empty ledger
      return std::nullopt;
    }
    if (anchor.count) {
      const std::uint64_t n = *anchor.count;
      if (n == 0 || n > entries.size() || entries[n - 1].hash != anchor.head) return std::nullopt;
      return n;
    }
    for (const Entry& e : entries) {
      if (e.hash == anchor.head) return e.index;
    }
    return std::nullopt;
  }();
  if (!found) {
    return fail(Reason::ledger_corrupt, "",
                "the ledger does not contain the anchored entry " +
                    (anchor.count ? std::to_string(*anchor.count) + ":" : std::string()) +
                    encoding::hex_encode(anchor.head) +
                    ": it was rolled back or rewritten (its anchor is now " +
                    format_anchor(anchor_of(entries)) + ")");
  }
  return entries.size() - *found;
}

}  // namespace dmp::ledger
