// Numbers and instants as command-line text: unsigned decimals, unix seconds
// and RFC 3339 timestamps in, RFC 3339 UTC and "in N days" out.
//
// Calendar arithmetic is done here with proleptic-Gregorian day counts
// (days_from_civil / civil_from_days) instead of timegm/strftime: the tools
// are linked statically and must not depend on the C library's time zone or
// locale machinery, and the verdict must not change with TZ or LANG.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dmp/result.hpp"

namespace dmp::cli {

// The latest instant accepted as text: 9999-12-31T23:59:59Z. Keeps every
// accepted time printable in RFC 3339's four-digit years.
inline constexpr std::uint64_t kMaxUnixTime = 253'402'300'799;

// Days since 1970-01-01 of a proleptic-Gregorian date (month 1..12, day
// 1..31, not range-checked here), and back.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) noexcept;
struct CivilDate {
  std::int64_t year = 1970;
  unsigned month = 1;
  unsigned day = 1;
};
CivilDate civil_from_days(std::int64_t days) noexcept;

// Plain unsigned decimal: digits only (no sign, space or exponent), at least
// one, at most 2^64-1. Errors are Reason::invalid_field starting with `field`.
Result<std::uint64_t> parse_decimal_u64(std::string_view text, std::string_view field);

// An instant as unix seconds: either a decimal number of seconds, or RFC 3339
// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)` (T and Z in either case;
// the fraction is truncated, as the reference truncates time.time()). Must
// lie in [1970-01-01T00:00:00Z, kMaxUnixTime]; leap second :60 is refused
// because unix time cannot represent it.
Result<std::uint64_t> parse_time_text(std::string_view text, std::string_view field);

// "2035-01-01T00:00:00Z". Total for every u64 (years past 9999 print with
// more digits) so a hostile exp can always be shown.
std::string format_rfc3339_utc(std::uint64_t unix_seconds);

// Coarse human duration, rounded down: "123 days", "1 day", "5 hours",
// "12 minutes", "30 seconds".
std::string describe_duration(std::uint64_t seconds);

}  // namespace dmp::cli
