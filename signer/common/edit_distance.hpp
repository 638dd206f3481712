// How far apart two words are, for "did you mean" suggestions and for the
// review's warning about host names one or two edits from another.
#pragma once

#include <cstddef>
#include <string_view>

namespace dmp::cli {

// Optimal string alignment distance: Levenshtein plus the swap of two
// neighbouring characters as one edit (so "sing" is one edit from "sign").
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace dmp::cli
