// The shared DNS-name rule (§1.5) and the comparisons built on it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "dmp/api.hpp"
#include "dmp/result.hpp"

DMP_API_BEGIN
namespace dmp {

// §1.5, applied to `name` as given (one trailing dot tolerated). `field`
// names the record field in the error message, e.g. "cluster_name".
// Fails with Reason::invalid_field; decoders re-label it as malformed.
Status check_dns_name(std::string_view name, std::string_view field);

// Remove one trailing '.', if there is one.
std::string_view strip_one_dot(std::string_view name) noexcept;

// ASCII lower-casing; other bytes unchanged. Names that passed §1.5 are ASCII,
// so this is their Unicode case fold.
std::string ascii_lower(std::string_view text);

// The reference's name binding (§2.4 step 9): strip one dot from `expected`,
// then compare the case folds. `stored` is an already-validated ASCII name;
// `expected` is caller text in UTF-8 and is folded with Python's full case
// folding restricted to what can equal ASCII (e.g. U+212A KELVIN SIGN -> "k",
// U+00DF -> "ss"), so verdicts match the reference for every input.
bool name_matches_expected(std::string_view stored, std::string_view expected);

// Strict UTF-8 as Python's codec decodes it: no overlong forms, no encoded
// surrogates, nothing above U+10FFFF, no truncated sequences.
bool is_valid_utf8(std::span<const std::uint8_t> bytes) noexcept;
bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace dmp
DMP_API_END
