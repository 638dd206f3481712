// Which characters of a field changed, for the review: the part between the
// longest common start and the longest common end of the two values is
// marked (`10.0.0.12` -> `10.0.0.21` marks `12` and `21`; `.com` -> `.corn`
// marks `m` and `rn`). One marked span per side is what a person checks at
// a glance; a character-by-character alignment would also find chance
// matches inside two unrelated keys and make them look nearly equal.
#pragma once

#include <string_view>

#include "output/marked_text.hpp"

namespace dmp::output {

struct MarkedChange {
  MarkedLine before;  // the old value, its changed part marked Mark::before
  MarkedLine after;   // the new value, its changed part marked Mark::after
};

// Cuts only between the units terminal_safe escapes (UTF-8 sequences, single
// bytes that are not UTF-8), so each piece shows as it would in the whole.
MarkedChange mark_change(std::string_view before, std::string_view after);

}  // namespace dmp::output
