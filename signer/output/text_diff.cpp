#include "output/text_diff.hpp"

#include <algorithm>
#include <vector>

#include "output/terminal_text.hpp"

namespace dmp::output {
namespace {

std::vector<std::string_view> units_of(std::string_view text) {
  std::vector<std::string_view> units;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = unit_length(text, i);
    units.push_back(text.substr(i, len));
    i += len;
  }
  return units;
}

// units[from, to) as one view of the text they were cut from.
std::string_view span_of(const std::vector<std::string_view>& units, std::size_t from,
                         std::size_t to) {
  if (from >= to) return {};
  return std::string_view(
      units[from].data(),
      static_cast<std::size_t>(units[to - 1].data() + units[to - 1].size() - units[from].data()));
}

MarkedLine marked(const std::vector<std::string_view>& units, std::size_t prefix,
                  std::size_t suffix, Mark mark) {
  MarkedLine line;
  line.add(span_of(units, 0, prefix));
  line.add(span_of(units, prefix, units.size() - suffix), mark);
  line.add(span_of(units, units.size() - suffix, units.size()));
  return line;
}

}  // namespace

MarkedChange mark_change(std::string_view before, std::string_view after) {
  const auto a = units_of(before);
  const auto b = units_of(after);
  const std::size_t shorter = std::min(a.size(), b.size());
  std::size_t prefix = 0;
  while (prefix < shorter && a[prefix] == b[prefix])
    ++prefix;
  std::size_t suffix = 0;
  while (suffix < shorter - prefix && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  return {marked(a, prefix, suffix, Mark::before), marked(b, prefix, suffix, Mark::after)};
}

}  // namespace dmp::output
