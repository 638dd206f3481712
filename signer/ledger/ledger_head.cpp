#include "ledger/ledger_head.hpp"

#include <optional>

#include "dmp/encoding.hpp"

namespace dmp::ledger {
namespace {

constexpr std::size_t kMaxHeadLen = 20 + 1 + 64 + 2 + 20 + 1;

Failure bad_head(const std::string& rule) {
  return fail(Reason::ledger_corrupt, "head", rule);
}

// Decimal without sign or leading zeros that fits 64 bits.
std::optional<std::uint64_t> decimal(std::string_view text) {
  if (text.empty() || text.size() > 20 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace

Result<HeadRecord> parse_head(std::string_view text) {
  if (text.size() > kMaxHeadLen) return bad_head("longer than a head can be");
  if (text.empty() || text.back() != '\n') return bad_head("must end with a newline");
  text.remove_suffix(1);
  const std::size_t space = text.find(' ');
  if (space == std::string_view::npos) return bad_head("must be \"<count> <hash>\"");
  HeadRecord head;
  const auto count = decimal(text.substr(0, space));
  if (!count) return bad_head("count must be a decimal number without leading zeros");
  head.count = *count;
  std::string_view rest = text.substr(space + 1);
  const std::size_t batch = rest.find(' ');
  const std::string_view hash = rest.substr(0, batch);
  if (hash.size() != 64 || !encoding::hex_decode_into(hash, head.hash) ||
      encoding::hex_encode(head.hash) != hash) {
    return bad_head("hash must be 64 lower-case hex digits");
  }
  if (batch != std::string_view::npos) {
    const std::string_view pending = rest.substr(batch + 1);
    const auto n = pending.size() > 1 && pending[0] == '+' ? decimal(pending.substr(1))
                                                           : std::optional<std::uint64_t>();
    if (!n || *n < 2 || *n > kMaxBatchEntries) {
      return bad_head("a batch in flight is \"+<entries>\", 2 to " +
                      std::to_string(kMaxBatchEntries));
    }
    head.pending = *n;
  }
  if (head.count == 0 && head.hash != Hash{}) {
    return bad_head("an empty ledger's hash is 64 zeros");
  }
  return head;
}

std::string format_head(const HeadRecord& head) {
  std::string text = std::to_string(head.count) + " " + encoding::hex_encode(head.hash);
  if (head.pending > 1) text += " +" + std::to_string(head.pending);
  return text + "\n";
}

}  // namespace dmp::ledger
